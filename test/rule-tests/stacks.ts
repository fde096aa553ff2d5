/**
 * The stack configurations the rule tests render rules for: prod's and dev's stack files as
 * Pulumi would hand them to the program, and one config with what neither has (ECP compute
 * nodes, a weekly backup schedule, default 5Gi journal volumes on IKO).
 */
import * as pulumi from "@pulumi/pulumi";
import { parseConfig, secretKeys, type PlatformConfig } from "../../config";
import { stackFiles } from "../build-stack";
import { loadStackFile } from "../stack-files";

export function stackConfig(stack: "prod" | "dev"): PlatformConfig {
    const { file, secrets } = stackFiles[stack];
    const loaded = loadStackFile(file, secrets);
    const plain: Record<string, unknown> = {};
    const secretValues: Record<string, pulumi.Output<string>> = {};
    for (const [fullKey, text] of Object.entries(loaded.config)) {
        if (!fullKey.startsWith("iris-platform:")) continue;
        const key = fullKey.slice("iris-platform:".length);
        if ((secretKeys as readonly string[]).includes(key))
            secretValues[key] = pulumi.secret(text);
        else
            try {
                plain[key] = JSON.parse(text);
            } catch {
                plain[key] = text;
            }
    }
    return parseConfig(plain, secretValues);
}

/** An IKO instance with two compute nodes, a weekly backup set and default volume sizes. */
export function computeWeeklyConfig(): PlatformConfig {
    return parseConfig(
        {
            cluster: { provider: "existing" },
            longhorn: { backup: { enabled: true, target: "s3://iris-backups@eu-west-1/" } },
            iko: { enabled: true, chart: { path: "/charts/iko" }, registry: { username: "u" } },
            iris: {
                instances: [
                    {
                        name: "app",
                        namespace: "apps",
                        mode: "iko",
                        image: "containers.intersystems.com/intersystems/iris:2025.1",
                        compute: { replicas: 2 },
                        backup: { schedule: "0 3 * * 0" },
                    },
                ],
            },
        },
        {
            kubeconfig: pulumi.secret("k"),
            irisPassword: pulumi.secret("p"),
            irisLicenseKey: pulumi.secret("l"),
            registryToken: pulumi.secret("t"),
            webgatewayPassword: pulumi.secret("w"),
            backupAccessKeyId: pulumi.secret("a"),
            backupSecretAccessKey: pulumi.secret("s"),
        },
    );
}
