/**
 * Turns the `charts` config (and `iko.chart`) into `helm.v3.Release` sources:
 * a per-chart override, else the one mirror (directory, repository or OCI
 * prefix), else the pinned upstream repository.
 */
import type * as pulumi from "@pulumi/pulumi";
import {
    chartKeys,
    chartName,
    charts,
    iko as ikoPins,
    releaseSource,
    type ChartKey,
    type ChartPin,
    type ReleaseSource,
} from "../versions";

/** The source of every chart the add-on components install. */
export type ChartSources = Readonly<Record<ChartKey, ReleaseSource>>;

/** What the `charts` config section says, with the registry password (secret) when a user is set. */
export interface ChartMirror {
    readonly directory?: string;
    readonly mirror?: string;
    readonly overrides?: Readonly<
        Partial<Record<ChartKey, { readonly path?: string; readonly repo?: string }>>
    >;
    readonly login?: { readonly username: string; readonly password: pulumi.Output<string> };
}

/** A chart registry login: `username` with the `chartRegistryPassword` secret, when both are set. */
export function chartLogin(
    username: string | undefined,
    password: pulumi.Output<string> | undefined,
): ChartMirror["login"] {
    return username && password ? { username, password } : undefined;
}

/** Every chart from its pinned upstream repository. */
export const upstreamCharts: ChartSources = Object.fromEntries(
    chartKeys.map((k) => [k, releaseSource(charts[k])]),
) as Record<ChartKey, ReleaseSource>;

/** A chart called `name` at `version` from a local directory or a repository/OCI prefix. */
export function sourceFrom(
    where: { path?: string; repo?: string },
    name: string,
    version: string,
    login?: ChartMirror["login"],
): ReleaseSource {
    if (where.path) return { chart: where.path };
    const repo = (where.repo ?? "").replace(/\/+$/, "");
    // OCI references name the chart in the URL. The provider ignores repositoryOpts credentials
    // for them: the login goes into Helm's registry credentials file instead (chart-login.ts).
    if (repo.startsWith("oci://")) return { chart: `${repo}/${name}`, version };
    // A Helm repository takes basic auth from repositoryOpts (domain/chart-registry.ts says where).
    const auth = login ? { username: login.username, password: login.password } : undefined;
    return { chart: name, version, repositoryOpts: { repo, ...auth } };
}

function mirrored(
    pin: ChartPin,
    key: ChartKey | undefined,
    m: ChartMirror,
): ReleaseSource | undefined {
    const name = chartName(pin);
    const override = key ? m.overrides?.[key] : undefined;
    if (override) return sourceFrom(override, name, pin.version, m.login);
    if (m.directory)
        return sourceFrom(
            { path: `${m.directory.replace(/\/+$/, "")}/${name}` },
            name,
            pin.version,
        );
    if (m.mirror) return sourceFrom({ repo: m.mirror }, name, pin.version, m.login);
    return undefined;
}

/** Sources for every pinned chart under the stack's mirror config. */
export function chartSources(m: ChartMirror = {}): ChartSources {
    return Object.fromEntries(
        chartKeys.map((k) => [k, mirrored(charts[k], k, m) ?? releaseSource(charts[k])]),
    ) as Record<ChartKey, ReleaseSource>;
}

/** The IKO chart from the mirror, when the stack has one (`iko.chart` unset). */
export function ikoMirrorSource(m: ChartMirror): ReleaseSource | undefined {
    return mirrored({ chart: "iris-operator", version: ikoPins.chartVersion }, undefined, m);
}
