/** Shared zod building blocks for the config schema. */
import { z } from "zod";

export const cidrRe =
    /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}\/(3[0-2]|[12]?\d)$/;
export const ipv4Re = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
export const cidr = z.string().regex(cidrRe, "must be an IPv4 CIDR such as 10.0.0.0/16");
export const ipv4 = z.string().regex(ipv4Re, "must be an IPv4 address such as 203.0.113.10");
/** RFC 1123 label: Kubernetes names, cluster names. */
export const dnsLabel = z
    .string()
    .regex(
        /^[a-z]([-a-z0-9]{0,38}[a-z0-9])?$/,
        "must be lowercase letters, digits and '-', start with a letter, at most 40 characters",
    );
export const hostname = z
    .string()
    .regex(
        /^([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
        "must be a fully qualified lowercase DNS name such as iris.example.com",
    );
export const quantity = z
    .string()
    .regex(
        /^\d+(\.\d+)?(Ki|Mi|Gi|Ti|m|k|M|G)?$/,
        "must be a Kubernetes quantity such as 10Gi or 500m",
    );
export const count = (min: number, max: number) =>
    z.number().int(`must be a whole number`).min(min).max(max);
export const ec2InstanceTypeRe = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;
export const ec2InstanceType = z
    .string()
    .regex(ec2InstanceTypeRe, "must be an EC2 instance type such as m6i.large");

/** Whether an IPv4 address lies inside a CIDR (both already syntax-checked). */
export function ipv4InCidr(ip: string, block: string): boolean {
    const toInt = (a: string) => a.split(".").reduce((n, octet) => n * 256 + Number(octet), 0);
    const [base, bits] = block.split("/");
    const size = 2 ** (32 - Number(bits));
    return Math.floor(toInt(ip) / size) === Math.floor(toInt(base) / size);
}

export { quantityMiB } from "../domain/quantity";

/** Five-field cron, as Kubernetes CronJobs and Longhorn RecurringJobs take it. */
export const cron = z
    .string()
    .regex(/^\S+(\s+\S+){4}$/, 'must be a five-field cron expression such as "0 3 * * *"');
