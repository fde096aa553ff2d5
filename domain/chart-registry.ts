/**
 * Logins to private `oci://` chart registries (pure; config checks and components share it).
 *
 * The kubernetes provider's `helm.sh/v3` Release pulls an `oci://` chart with a Helm registry
 * client built from Helm's registry credentials file alone: `getActionConfig` passes only
 * `registry.ClientOptCredentialsFile(settings.RegistryConfig)`, and `locateChart` hands that client
 * to Helm's OCI getter, which uses a given client as is, so `repositoryOpts.username/password`
 * never reach the registry (pulumi-kubernetes provider/pkg/provider/helm_release.go at the pinned
 * f47bc2d6f199; helm v3.18.6 pkg/getter/ocigetter.go `get`; pulumi-kubernetes issue 1914).
 * The login therefore goes into a credentials file the provider reads
 * (`helmReleaseSettings.registryConfigPath`, provider/pkg/provider/provider.go).
 * Plain Helm repositories (`https://`) do take `repositoryOpts` credentials: `locateChart` passes
 * them to `repo.FindChartInAuthAndTLSAndPassRepoURL` and `getter.WithBasicAuth`.
 */

/** One registry host and the user that logs in to it (the password is the one chart secret). */
export interface OciLogin {
    /** `host[:port]`, as Helm's registry client looks credentials up. */
    readonly host: string;
    readonly username: string;
    /** Config key that asked for this login, for messages. */
    readonly key: string;
}

/** `host[:port]` of an `oci://host[:port]/path` reference; undefined for anything else. */
export function ociRegistryHost(ref: string | undefined): string | undefined {
    const m = /^oci:\/\/([^/\s]+)/.exec(ref ?? "");
    return m ? m[1].toLowerCase() : undefined;
}

/** What of the config names OCI sources with a login. */
export interface ChartLoginConfig {
    readonly charts: {
        readonly mirror?: string;
        readonly username?: string;
        readonly overrides: Readonly<Record<string, { readonly repo?: string } | undefined>>;
    };
    readonly iko: {
        readonly enabled: boolean;
        readonly chart: { readonly repo?: string; readonly username?: string };
    };
}

/** Every `oci://` source with a login: `charts.mirror`/`overrides.<chart>.repo` with `charts.username`, and `iko.chart.repo` with `iko.chart.username`. */
export function ociLogins(c: ChartLoginConfig): OciLogin[] {
    const out: OciLogin[] = [];
    const add = (ref: string | undefined, username: string | undefined, key: string) => {
        const host = ociRegistryHost(ref);
        if (host && username) out.push({ host, username, key });
    };
    add(c.charts.mirror, c.charts.username, "charts.mirror");
    for (const [chart, o] of Object.entries(c.charts.overrides))
        add(o?.repo, c.charts.username, `charts.overrides.${chart}.repo`);
    if (c.iko.enabled) add(c.iko.chart.repo, c.iko.chart.username, "iko.chart.repo");
    return out;
}

/**
 * Helm's registry credentials file (Docker's config.json format) logging every host in `logins`
 * in with `password`: `{"auths": {"<host>": {"auth": base64("<user>:<password>")}}}`, as oras-go
 * v2.6.0 reads it (registry/remote/credentials/internal/config/config.go: `auths`, `auth`;
 * looked up by `host[:port]`). Hosts are deduplicated; config checks refuse two users on one host.
 */
export function helmRegistryConfig(logins: readonly OciLogin[], password: string): string {
    const auths: Record<string, { auth: string }> = {};
    for (const l of logins)
        auths[l.host] = { auth: Buffer.from(`${l.username}:${password}`).toString("base64") };
    return JSON.stringify({ auths }, null, 2);
}
