/**
 * Values a stack file may still hold from the examples: names under the domains RFC 2606
 * reserves for documentation (example.com, example.net, example.org)
 * and addresses in the ranges RFC 5737 reserves for documentation (192.0.2.0/24,
 * 198.51.100.0/24, 203.0.113.0/24). Nothing real lives there: Let's Encrypt refuses such
 * a contact address (letsencrypt/boulder policy/pa.go, forbiddenMailDomains), a host there
 * never resolves, a registry there never answers, mail sent there is lost, and an
 * allow-list holding only such a range admits nobody. The committed stack files keep
 * them on purpose, so a user must put in their own before the first `preview` passes.
 */

const reservedDomains = ["example.com", "example.net", "example.org"];
/** First three octets of the RFC 5737 documentation networks (each a /24). */
const documentationNets = ["192.0.2.", "198.51.100.", "203.0.113."];

/** Why `text` is a placeholder, or undefined when it is not one. */
export function placeholderIn(text: string): string | undefined {
    for (const token of text.toLowerCase().match(/[a-z0-9.-]+/g) ?? []) {
        const name = token.replace(/^\.+|\.+$/g, "");
        const domain = reservedDomains.find((d) => name === d || name.endsWith(`.${d}`));
        if (domain)
            return `${domain} is reserved for documentation (RFC 2606): nothing there resolves or receives mail`;
        if (/^\d+\.\d+\.\d+\.\d+$/.test(name) && documentationNets.some((n) => name.startsWith(n)))
            return `${name} is in a range reserved for documentation (RFC 5737): no real address is there`;
    }
    return undefined;
}

function keyOf(path: readonly (string | number)[]): string {
    return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");
}

/**
 * One problem per config value (plain `iris-platform:*` keys, as the stack sets them) that
 * still holds a placeholder, naming the key, the value and how to replace it.
 */
export function placeholderProblems(plain: Record<string, unknown>): string[] {
    const problems: string[] = [];
    const walk = (value: unknown, path: (string | number)[]): void => {
        if (typeof value === "string") {
            const why = placeholderIn(value);
            if (why) {
                const key = keyOf(path);
                problems.push(
                    `iris-platform:${key}: is a placeholder from the example stack (got ${JSON.stringify(value)}): ${why}; set your own value in the stack file or with \`pulumi config set --path '${key}' <value>\``,
                );
            }
        } else if (Array.isArray(value)) value.forEach((v, i) => walk(v, [...path, i]));
        else if (value && typeof value === "object")
            for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
    };
    for (const [k, v] of Object.entries(plain)) walk(v, [k]);
    return problems;
}
