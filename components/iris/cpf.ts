/**
 * CPF merge files (configuration merge, `[Section]` + `Key=Value` lines) as pure
 * functions. IKO reads `common.cpf`, `data.cpf` and `compute.cpf` from its
 * `configSource` ConfigMap; the standalone Deployment reads one merge file
 * through `ISC_CPF_MERGE_FILE`.
 */

/** Ordered sections of ordered `key=value` settings. */
export type CpfSections = ReadonlyArray<
    readonly [
        section: string,
        settings: ReadonlyArray<readonly [key: string, value: string | number]>,
    ]
>;

/** Memory settings from `iris.instances[].cpf`. */
export interface CpfMemory {
    /** Database cache for 8 KB blocks, in MB. */
    readonly globalBuffersMB: number;
    /** Shared memory heap, in MB (the CPF takes KB). */
    readonly gmheapMB: number;
}

/** Renders sections as merge-file text; empty sections are left out. */
export function renderCpf(sections: CpfSections): string {
    return sections
        .filter(([, settings]) => settings.length > 0)
        .map(([section, settings]) =>
            [`[${section}]`, ...settings.map(([k, v]) => `${k}=${v}`)].join("\n"),
        )
        .join("\n\n")
        .concat("\n");
}

/**
 * `[config]` memory lines. `globals` lists MB per block size
 * (2K,4K,8K,16K,32K,64K); IRIS databases use 8 KB blocks, so only the third
 * is set. `gmheap` is in KB.
 */
function memorySettings(m: CpfMemory): ReadonlyArray<readonly [string, string | number]> {
    return [
        ["globals", `0,0,${m.globalBuffersMB},0,0,0`],
        ["gmheap", m.gmheapMB * 1024],
    ];
}

function startup(passwordHash: string | undefined): CpfSections {
    return passwordHash ? [["Startup", [["PasswordHash", passwordHash]]]] : [];
}

/** The user Prometheus logs in as on `/api/monitor`, with its PasswordHash. */
export interface MetricsLogin {
    readonly username: string;
    readonly passwordHash: string;
}

/**
 * `[Actions]` lines (`Action:Property=Value,…`; a hash holds commas, so it is quoted) from
 * InterSystems' "Automating Configuration of InterSystems IRIS with Configuration Merge":
 * - ModifyUser CSPSystem: the account the web gateway logs in as (PasswordHash leaves it at `SYS`);
 * - metrics login: CreateUser (Name, PasswordHash; the [Actions] reference, RACS_createuser), then
 *   ModifyUser with the same hash, because a Create action is skipped when the user exists ("Merge
 *   Actions": actions are idempotent), so a changed password still arrives; and ModifyApplication
 *   `/api/monitor` (RACS_modifyapplication) with `AutheEnabled=$$$AuthePassword`, a macro the
 *   merge file accepts for Security.Applications ("Security Macros"): password only, which drops
 *   the unauthenticated access the application ships with.
 */
function actions(cspSystemPasswordHash?: string, metrics?: MetricsLogin): string {
    const lines: string[] = [];
    if (cspSystemPasswordHash)
        lines.push(`ModifyUser:Name=CSPSystem,PasswordHash="${cspSystemPasswordHash}"`);
    if (metrics) {
        const u = metrics.username;
        lines.push(
            `CreateUser:Name=${u},PasswordHash="${metrics.passwordHash}"`,
            `ModifyUser:Name=${u},PasswordHash="${metrics.passwordHash}"`,
            "ModifyApplication:Name=/api/monitor,AutheEnabled=$$$AuthePassword",
        );
    }
    return lines.length > 0 ? `[Actions]\n${lines.join("\n")}\n` : "";
}

/** Settings text followed by an `[Actions]` section, when there are actions. */
function withActions(settings: string, acts: string): string {
    if (!acts) return settings || renderCpf([]);
    return settings ? `${settings}\n${acts}` : acts;
}

/**
 * IKO `common.cpf`: settings for every IRIS node; holds the default-password hash
 * and the `[Actions]` (see `actions`): CSPSystem's password with web-gateway nodes,
 * and the metrics login when `/api/monitor` requires one.
 */
export function commonCpf(
    passwordHash: string | undefined,
    cspSystemPasswordHash?: string,
    metrics?: MetricsLogin,
): string {
    const settings = passwordHash ? renderCpf(startup(passwordHash)) : "";
    return withActions(settings, actions(cspSystemPasswordHash, metrics));
}

/** IKO `data.cpf`: data nodes (overrides common.cpf). */
export function dataCpf(memory: CpfMemory): string {
    return renderCpf([["config", memorySettings(memory)]]);
}

/** IKO `compute.cpf`: compute nodes (overrides common.cpf). */
export function computeCpf(memory: CpfMemory): string {
    return renderCpf([["config", memorySettings(memory)]]);
}

/** The standalone Deployment's single merge file (with the metrics login's actions, if any). */
export function standaloneCpf(
    passwordHash: string | undefined,
    memory: CpfMemory,
    metrics?: MetricsLogin,
): string {
    const settings = renderCpf([...startup(passwordHash), ["config", memorySettings(memory)]]);
    return withActions(settings, actions(undefined, metrics));
}
