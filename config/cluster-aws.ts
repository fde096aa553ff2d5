/** `iris-platform:cluster` with `provider: aws`: VPC, subnets, control plane and kubeadm ranges. */
import { z } from "zod";
import { vpcPrefixRange } from "../domain/cidr";
import { cidr, cidrRe, count, ec2InstanceType, ec2InstanceTypeRe } from "./primitives";

import { clusterCommon, disjointRanges, noWholeInternet, zonesInRegion } from "./cluster-common";

export const aws = z
    .strictObject({
        provider: z.literal("aws"),
        ...clusterCommon,
        aws: z
            .strictObject({
                region: z
                    .string()
                    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "must be an AWS region such as eu-west-1"),
                availabilityZones: z
                    .array(z.string())
                    .min(2, "needs 2 or 3 zones")
                    .max(3, "needs 2 or 3 zones"),
                /** VPC range, /16 to /24; private and public subnets are cut from it (see docs/aws.md). */
                vpcCidr: cidr.default("10.0.0.0/16"),
                /** CIDRs allowed to reach the API server (6443) through its load balancer; must include where `pulumi up` runs. */
                adminCidrs: z.array(cidr).default([]),
                controlPlane: z
                    .strictObject({
                        count: z
                            .union([z.literal(1), z.literal(3)], "must be 1 (dev) or 3 (HA)")
                            .default(1),
                        instanceType: ec2InstanceType.default("m6i.large"),
                    })
                    .prefault({}),
                natGateways: z.enum(["single", "perAz"]).default("single"),
                podCidr: cidr.default("192.168.0.0/16"),
                serviceCidr: cidr.default("10.96.0.0/12"),
                rootVolumeGb: count(20, 1024).default(50),
                /** Pin every node to this AMI instead of Canonical's current Ubuntu 24.04 (which changes every few weeks). */
                amiId: z
                    .string()
                    .regex(
                        /^ami-[0-9a-f]{8,17}$/,
                        "must be an AMI id such as ami-0123456789abcdef0",
                    )
                    .optional(),
            })
            .superRefine((a, ctx) => {
                zonesInRegion(a.availabilityZones, a.region, ctx, "availabilityZones");
                if (new Set(a.availabilityZones).size !== a.availabilityZones.length) {
                    ctx.addIssue({
                        code: "custom",
                        path: ["availabilityZones"],
                        input: a.availabilityZones,
                        message: "must not repeat a zone",
                    });
                }
                awsNetworkChecks(a, ctx);
            }),
    })
    .superRefine((c, ctx) => {
        const machineType = c.nodePool.machineType;
        if (machineType === undefined) {
            ctx.addIssue({
                code: "custom",
                path: ["nodePool", "machineType"],
                input: undefined,
                message: "is required for AWS: the workers' EC2 instance type such as m6i.xlarge",
            });
        } else if (!ec2InstanceTypeRe.test(machineType)) {
            ctx.addIssue({
                code: "custom",
                path: ["nodePool", "machineType"],
                input: machineType,
                message: "must be an EC2 instance type such as m6i.xlarge",
            });
        }
    });

/** CIDR rules kubeadm and the subnet plan need; each names the key to change. */
function awsNetworkChecks(
    a: { vpcCidr: string; podCidr: string; serviceCidr: string; adminCidrs: string[] },
    ctx: z.RefinementCtx,
): void {
    const issue = (path: (string | number)[], input: unknown, message: string) =>
        ctx.addIssue({ code: "custom", path, input, message });
    disjointRanges({ vpcCidr: a.vpcCidr, podCidr: a.podCidr, serviceCidr: a.serviceCidr }, ctx);
    if (cidrRe.test(a.vpcCidr)) {
        const prefix = Number(a.vpcCidr.split("/")[1]);
        if (prefix < vpcPrefixRange.min || prefix > vpcPrefixRange.max) {
            issue(
                ["vpcCidr"],
                a.vpcCidr,
                `must be a /${vpcPrefixRange.min} to /${vpcPrefixRange.max} network`,
            );
        }
    }
    if (a.adminCidrs.length === 0) {
        issue(
            ["adminCidrs"],
            [],
            "must list at least one CIDR: the API server is reachable only from these, and `pulumi up` itself must reach it",
        );
    }
    noWholeInternet(a.adminCidrs, "adminCidrs", ctx);
}
