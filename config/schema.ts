/** The whole stack schema, before the rules between sections (see checks.ts). */
import { z } from "zod";
import { certManager, dns, ingress, longhorn } from "./addons";
import { cluster } from "./cluster";
import { ikoSchema, iris } from "./iris";
import { chartsSchema } from "./charts";
import { monitoring } from "./monitoring";

/** Secret config keys; each is read with `Config.getSecret` and never logged. */
export const secretKeys = [
    "kubeconfig",
    "registryToken",
    "irisPassword",
    "irisPasswordHash",
    "irisLicenseKey",
    "webgatewayPassword",
    "chartRegistryPassword",
    "backupAccessKeyId",
    "backupSecretAccessKey",
    "grafanaAdminPassword",
    "alertSlackWebhookUrl",
    "alertTeamsWebhookUrl",
    "alertSmtpPassword",
    "irisMetricsPassword",
] as const;
export type SecretKey = (typeof secretKeys)[number];

export const baseSchema = z.strictObject({
    cluster,
    longhorn: longhorn.prefault({}),
    ingress: ingress.prefault({}),
    certManager: certManager.prefault({}),
    dns: dns.prefault({}),
    iko: ikoSchema.prefault({}),
    iris: iris.prefault({}),
    charts: chartsSchema.prefault({}),
    monitoring: monitoring.prefault({}),
    /** Which secret keys the stack sets (values never enter the schema). */
    secretsPresent: z.array(z.enum(secretKeys)).default([]),
});

/** The schema's output: what the cross-section checks and the loader see. */
export type Parsed = z.output<typeof baseSchema>;
