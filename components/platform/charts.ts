/** The stack's chart sources and registry login, which every layer's charts share. */
import type * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig } from "../../config";
import { ociLogins } from "../../domain/chart-registry";
import { chartLogin, type ChartMirror } from "../chart-sources";
import { writeHelmRegistryConfig } from "../chart-login";

/** An internal error: config validation guarantees what is missing. */
function internal(what: string): Error {
    return new Error(`internal: ${what} (config validation should have refused this stack)`);
}

/** The stack's chart mirror: `charts`, with the registry password when a user is set. */
export function chartMirror(config: PlatformConfig): ChartMirror {
    const c = config.charts;
    return {
        directory: c.directory,
        mirror: c.mirror,
        overrides: c.overrides,
        login: chartLogin(c.username, config.secrets.chartRegistryPassword),
    };
}

/**
 * Helm's registry credentials file for the stack's private `oci://` chart sources, written from
 * the `chartRegistryPassword` secret; absent when no OCI source has a login.
 */
export function helmRegistryConfigPath(config: PlatformConfig): pulumi.Output<string> | undefined {
    const logins = ociLogins(config);
    if (logins.length === 0) return undefined;
    const password = config.secrets.chartRegistryPassword;
    if (!password) throw internal(`${logins[0].key} login without chartRegistryPassword`);
    return writeHelmRegistryConfig(logins, password);
}
