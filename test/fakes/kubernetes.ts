/** Mock answers for kubernetes invokes and cloud-computed kubernetes resource outputs. */
import type { InvokeHandler, StateHandler } from "../mocks";

export const invokes: Record<string, InvokeHandler> = {};

export const states: Record<string, StateHandler> = {
    // The IRIS layer salts PasswordHash with random bytes (computed by the provider).
    "random:index/randomBytes:RandomBytes": (name, inputs) => {
        const length = typeof inputs.length === "number" ? inputs.length : 32;
        const bytes = Buffer.alloc(length, name.length % 251);
        return { hex: bytes.toString("hex"), base64: bytes.toString("base64") };
    },
};
