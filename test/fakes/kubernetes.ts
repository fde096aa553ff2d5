/** Mock answers for kubernetes invokes and cloud-computed kubernetes resource outputs. */
import type { InvokeHandler, StateHandler } from "../mocks";

export const invokes: Record<string, InvokeHandler> = {};

/** The provider's auto-naming: `<resource name>-<8 random chars>` when metadata.name is unset. */
const autoNamed: StateHandler = (name, inputs) => {
    const metadata = (inputs.metadata ?? {}) as Record<string, unknown>;
    return { metadata: { ...metadata, name: metadata.name ?? `${name}-4a7c9e1f` } };
};

export const states: Record<string, StateHandler> = {
    "kubernetes:core/v1:Secret": autoNamed,
    "kubernetes:core/v1:ConfigMap": autoNamed,
    // The IRIS layer salts PasswordHash with random bytes (computed by the provider).
    "random:index/randomBytes:RandomBytes": (name, inputs) => {
        const length = typeof inputs.length === "number" ? inputs.length : 32;
        const bytes = Buffer.alloc(length, name.length % 251);
        return { hex: bytes.toString("hex"), base64: bytes.toString("base64") };
    },
};
