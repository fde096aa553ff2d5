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

/**
 * IKO `common.cpf`: settings for every IRIS node; holds the default-password hash
 * and, with web-gateway nodes, an `[Actions]` ModifyUser that gives CSPSystem (the
 * account the web gateway logs in as, which PasswordHash leaves at `SYS`) the
 * web gateway's password, as a hash too.
 */
export function commonCpf(
    passwordHash: string | undefined,
    cspSystemPasswordHash?: string,
): string {
    const settings = passwordHash ? renderCpf(startup(passwordHash)) : "";
    if (!cspSystemPasswordHash) return settings || renderCpf([]);
    // [Actions] lines are `Action:Property=Value,…`; the hash holds commas, so it is quoted.
    const actions = `[Actions]\nModifyUser:Name=CSPSystem,PasswordHash="${cspSystemPasswordHash}"\n`;
    return settings ? `${settings}\n${actions}` : actions;
}

/** IKO `data.cpf`: data nodes (overrides common.cpf). */
export function dataCpf(memory: CpfMemory): string {
    return renderCpf([["config", memorySettings(memory)]]);
}

/** IKO `compute.cpf`: compute nodes (overrides common.cpf). */
export function computeCpf(memory: CpfMemory): string {
    return renderCpf([["config", memorySettings(memory)]]);
}

/** The standalone Deployment's single merge file. */
export function standaloneCpf(passwordHash: string | undefined, memory: CpfMemory): string {
    return renderCpf([...startup(passwordHash), ["config", memorySettings(memory)]]);
}
