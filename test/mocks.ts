/**
 * Shared Pulumi mocks: run a program under `pulumi.runtime.setMocks`, record
 * every registered resource (type, name, inputs, provider, parent, dependencies,
 * protect, ignoreChanges), answer the invokes the program uses, and fail on a
 * duplicate (type, name).
 */
import * as pulumi from "@pulumi/pulumi";
import * as awsFakes from "./fakes/aws";
import * as azureFakes from "./fakes/azure";
import * as gcpFakes from "./fakes/gcp";
import * as k8sFakes from "./fakes/kubernetes";

const sigKey = "4dabf18193072939515e22adb298388d";
const secretSig = "1b47061264138c4ac30d75fd1eb44270";

export interface RecordedResource {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    /** Inputs as the engine saw them; secrets keep their secret wrapper. */
    readonly rawInputs: Record<string, unknown>;
    /** Inputs with secret wrappers removed. */
    readonly inputs: Record<string, unknown>;
    readonly custom: boolean;
    /** Provider reference (`urn::id`), or "" for the default provider / components. */
    readonly provider: string;
    readonly parent: string;
    /** URNs this resource depends on (dependsOn plus input dependencies). */
    readonly dependencies: readonly string[];
    readonly protect: boolean;
    readonly retainOnDelete: boolean;
    readonly ignoreChanges: readonly string[];
}

/** A secret as the engine sees it (in inputs of a mocked resource). */
export function isSecretValue(value: unknown): boolean {
    return (
        typeof value === "object" &&
        value !== null &&
        (value as Record<string, unknown>)[sigKey] === secretSig
    );
}

/** Removes secret wrappers, recursively. */
export function unwrapSecrets(value: unknown): unknown {
    if (isSecretValue(value)) return unwrapSecrets((value as { value: unknown }).value);
    if (Array.isArray(value)) return value.map(unwrapSecrets);
    if (value && typeof value === "object") {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrapSecrets(v)]));
    }
    return value;
}

export type InvokeHandler = (inputs: Record<string, unknown>) => Record<string, unknown>;
export type StateHandler = (
    name: string,
    inputs: Record<string, unknown>,
) => Record<string, unknown>;

/** Answers for the invokes the program makes; an unknown invoke fails the test. */
export const defaultInvokes: Record<string, InvokeHandler> = {
    ...gcpFakes.invokes,
    ...azureFakes.invokes,
    ...awsFakes.invokes,
    ...k8sFakes.invokes,
};

/** Extra state (cloud-computed outputs) per resource type, merged over the inputs. */
export const defaultStates: Record<string, StateHandler> = {
    ...gcpFakes.states,
    ...azureFakes.states,
    ...awsFakes.states,
    ...k8sFakes.states,
};

/** The one resource of `type` in `recording` (fails when there are none or several). */
export function one(recording: Recording, type: string): RecordedResource {
    const all = recording.ofType(type);
    if (all.length !== 1)
        throw new Error(`expected one ${type}, got ${all.map((r) => r.name).join(", ") || "none"}`);
    return all[0];
}

export class Recording {
    readonly resources: RecordedResource[] = [];
    /** Tokens of the invokes (data sources, list functions) the program called. */
    readonly invokes = new Set<string>();

    /** All resources of a type token, e.g. `kubernetes:helm.sh/v3:Release`. */
    ofType(type: string): RecordedResource[] {
        return this.resources.filter((r) => r.type === type);
    }

    /** The one resource with this type and name; throws with the candidates otherwise. */
    get(type: string, name: string): RecordedResource {
        const found = this.resources.find((r) => r.type === type && r.name === name);
        if (!found) {
            const names = this.ofType(type).map((r) => r.name);
            throw new Error(
                `no ${type} named ${name}; have: ${names.join(", ") || "none of that type"}`,
            );
        }
        return found;
    }

    has(type: string, name?: string): boolean {
        return this.resources.some(
            (r) => r.type === type && (name === undefined || r.name === name),
        );
    }

    /** Resources whose URN is `urn` or lies under it (children of a component). */
    descendantsOf(urn: string): RecordedResource[] {
        const out: RecordedResource[] = [];
        const walk = (parent: string) => {
            for (const r of this.resources.filter((x) => x.parent === parent)) {
                out.push(r);
                walk(r.urn);
            }
        };
        const self = this.resources.find((r) => r.urn === urn);
        if (self) out.push(self);
        walk(urn);
        return out;
    }

    /**
     * Every resource `a` waits for: its dependencies and its ancestors', transitively.
     * Resources matching `stopAt` are included but not walked past.
     */
    waitsFor(
        a: RecordedResource,
        stopAt: (r: RecordedResource) => boolean = () => false,
    ): RecordedResource[] {
        const byUrn = new Map(this.resources.map((r) => [r.urn, r]));
        const seen = new Set<string>([a.urn]);
        const out: RecordedResource[] = [];
        const stack = [...a.dependencies, ...(a.parent ? [a.parent] : [])];
        while (stack.length > 0) {
            const urn = stack.pop() as string;
            if (seen.has(urn)) continue;
            seen.add(urn);
            const r = byUrn.get(urn);
            if (!r) continue;
            out.push(r);
            if (stopAt(r)) continue;
            stack.push(...r.dependencies);
            if (r.parent) stack.push(r.parent);
        }
        return out;
    }

    /** Whether `a` waits for `b` (or for something inside `b`), directly or through its ancestors. */
    dependsOn(a: RecordedResource, b: RecordedResource): boolean {
        const targets = new Set(this.descendantsOf(b.urn).map((r) => r.urn));
        return this.waitsFor(a).some((r) => targets.has(r.urn));
    }

    /** The resource a provider reference (`urn::id`) points at. */
    providerOf(r: RecordedResource): RecordedResource | undefined {
        if (!r.provider) return undefined;
        const urn = r.provider.split("::").slice(0, -1).join("::");
        return this.resources.find((x) => x.urn === urn);
    }
}

export interface RunOptions {
    readonly invokes?: Record<string, InvokeHandler>;
    readonly states?: Record<string, StateHandler>;
    readonly preview?: boolean;
    readonly stack?: string;
    /** Plain config (`iris-platform:key` → JSON string) visible through `pulumi.Config`. */
    readonly config?: Record<string, string>;
    readonly secretConfigKeys?: readonly string[];
}

type MonitorCallback = (err: unknown, response: { getUrn(): string } | undefined) => void;
interface RegisterRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getDependenciesList(): string[];
    getProtect(): boolean;
    getRetainondelete(): boolean;
    getIgnorechangesList(): string[];
}
interface PatchableMonitor {
    registerResource(req: RegisterRequest, cb: MonitorCallback): Promise<void>;
}

// waitForRPCs is internal to @pulumi/pulumi but is what `pulumi up` awaits before exit.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const settings = require("@pulumi/pulumi/runtime/settings") as {
    waitForRPCs(): Promise<void>;
    getMonitor(): unknown;
};

/**
 * Runs `program` under mocks and resolves once every registration has settled.
 * Throws if a (type, name) pair is registered twice or an invoke is unknown.
 */
export async function runProgram<T>(
    program: () => T,
    options: RunOptions = {},
): Promise<{ result: T; recording: Recording }> {
    const recording = new Recording();
    const seen = new Set<string>();
    const invokes = { ...defaultInvokes, ...options.invokes };
    const states = { ...defaultStates, ...options.states };
    const pending = new Map<string, Partial<RecordedResource>>();
    const errors: Error[] = [];

    await pulumi.runtime.setMocks(
        {
            newResource(args) {
                const key = `${args.type}::${args.name}`;
                if (seen.has(key))
                    errors.push(
                        new Error(`duplicate resource (type, name): ${args.type} ${args.name}`),
                    );
                seen.add(key);
                const rawInputs = (args.inputs ?? {}) as Record<string, unknown>;
                const inputs = unwrapSecrets(rawInputs) as Record<string, unknown>;
                pending.set(key, {
                    type: args.type,
                    name: args.name,
                    rawInputs,
                    inputs,
                    custom: args.custom ?? false,
                    provider: args.provider ?? "",
                });
                const extra = states[args.type]?.(args.name, inputs) ?? {};
                return {
                    id: args.custom ? `${args.name}-id` : undefined,
                    state: { ...rawInputs, ...extra },
                };
            },
            call(args) {
                recording.invokes.add(args.token);
                const handler = invokes[args.token];
                if (!handler) {
                    // The engine turns a thrown error into an empty message; report it from runProgram too.
                    const err = new Error(
                        `unmocked invoke ${args.token}; add an answer to test/fakes/`,
                    );
                    errors.push(err);
                    throw err;
                }
                return handler(unwrapSecrets(args.inputs ?? {}) as Record<string, unknown>);
            },
        },
        "iris-platform",
        options.stack ?? "test",
        options.preview ?? false,
    );

    // Wrap the mock monitor to see what the mocks API hides: parent, dependencies, options.
    const monitor = settings.getMonitor() as PatchableMonitor;
    const original = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, cb) =>
        original(req, (err, response) => {
            const key = `${req.getType()}::${req.getName()}`;
            const base = pending.get(key);
            if (!err && response && base) {
                recording.resources.push({
                    ...(base as RecordedResource),
                    urn: response.getUrn(),
                    parent: req.getParent(),
                    dependencies: req.getDependenciesList(),
                    protect: req.getProtect(),
                    retainOnDelete: req.getRetainondelete(),
                    ignoreChanges: req.getIgnorechangesList(),
                });
            }
            cb(err, response);
        });

    if (options.config)
        pulumi.runtime.setAllConfig(options.config, [...(options.secretConfigKeys ?? [])]);
    else pulumi.runtime.setAllConfig({}, []);

    const result = program();
    await settings.waitForRPCs();
    if (errors.length > 0) throw errors[0];
    return { result, recording };
}

/** Resolves an output's value under mocks (undefined if unknown). */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply((v) => resolve(v)));
}
