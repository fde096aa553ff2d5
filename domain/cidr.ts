/**
 * IPv4 CIDR arithmetic (pure): validation in config/cluster.ts and the subnet plan in
 * components/cluster/aws/network.ts share it, so what the config accepts is exactly what can be built.
 */

export interface Cidr {
    /** Network address as an unsigned 32-bit number. */
    readonly base: number;
    readonly prefix: number;
}

export function parseCidr(text: string): Cidr {
    const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(text);
    if (!m) throw new Error(`not an IPv4 CIDR: ${text}`);
    const octets = m.slice(1, 5).map(Number);
    const prefix = Number(m[5]);
    if (octets.some((o) => o > 255) || prefix > 32) throw new Error(`not an IPv4 CIDR: ${text}`);
    const base = octets.reduce((acc, o) => acc * 256 + o, 0);
    return { base, prefix };
}

export function formatCidr(c: Cidr): string {
    const o = [24, 16, 8, 0].map((shift) => Math.floor(c.base / 2 ** shift) % 256);
    return `${o.join(".")}/${c.prefix}`;
}

const size = (c: Cidr) => 2 ** (32 - c.prefix);

/** Whether the address part has no host bits set (10.0.0.0/16, not 10.0.1.0/16). */
export function isNetworkAddress(text: string): boolean {
    const c = parseCidr(text);
    return c.base % size(c) === 0;
}

export function cidrsOverlap(a: string, b: string): boolean {
    const x = parseCidr(a);
    const y = parseCidr(b);
    return x.base < y.base + size(y) && y.base < x.base + size(x);
}

/** The `index`-th block of prefix `newPrefix` inside `parent`. */
export function subnetOf(parent: string, newPrefix: number, index: number): string {
    const p = parseCidr(parent);
    if (newPrefix < p.prefix || newPrefix > 32)
        throw new Error(`cannot cut /${newPrefix} blocks out of ${parent}`);
    const count = 2 ** (newPrefix - p.prefix);
    if (index < 0 || index >= count)
        throw new Error(`${parent} has only ${count} /${newPrefix} blocks (asked for #${index})`);
    const blockBase = p.base - (p.base % size(p));
    return formatCidr({ base: blockBase + index * 2 ** (32 - newPrefix), prefix: newPrefix });
}

/** Smallest and largest VPC prefix the subnet plan supports. */
export const vpcPrefixRange = { min: 16, max: 24 } as const;

/**
 * Subnet plan for up to 3 zones: the first three quarters of the VPC are the
 * private (node) subnets, the last quarter is cut into four and its first three
 * are the public subnets (NAT gateways and load balancers need few addresses).
 * A /16 gives private /18s (16k nodes each) and public /20s.
 */
export function planSubnets(
    vpcCidr: string,
    zoneCount: number,
): { private: string[]; public: string[] } {
    const { prefix } = parseCidr(vpcCidr);
    if (prefix < vpcPrefixRange.min || prefix > vpcPrefixRange.max) {
        throw new Error(
            `VPC ${vpcCidr}: prefix must be between /${vpcPrefixRange.min} and /${vpcPrefixRange.max}`,
        );
    }
    if (zoneCount < 1 || zoneCount > 3)
        throw new Error(`subnet plan supports 1-3 zones, got ${zoneCount}`);
    const zones = [...Array(zoneCount).keys()];
    const lastQuarter = subnetOf(vpcCidr, prefix + 2, 3);
    return {
        private: zones.map((i) => subnetOf(vpcCidr, prefix + 2, i)),
        public: zones.map((i) => subnetOf(lastQuarter, prefix + 4, i)),
    };
}
