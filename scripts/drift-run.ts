/**
 * The drift check's one engine call, shared by the CLI and the integration tier.
 */
import type { EngineEvent, Stack } from "@pulumi/pulumi/automation";
import { driftFrom, type Drift } from "./drift-lib";

/**
 * Preview with `refresh`: the engine reads every resource from the cluster/cloud into an
 * in-memory copy of the state and plans against it; the stored state is left as it was
 * (automation `PreviewOptions.refresh` is `pulumi preview --refresh`).
 *
 * A field that `kubectl scale`/`edit`/`patch` changed now belongs to kubectl's field manager,
 * and the kubernetes provider's server-side apply refuses to take it back unless forced, failing
 * the whole preview. The check's dry run forces (PULUMI_K8S_ENABLE_PATCH_FORCE, read by
 * pulumi-kubernetes pkg/await/await.go `patchForce`) so that every drifted field is reported;
 * nothing is written, and a real `up` still refuses such fields until told to force
 * (docs/drift.md).
 */
export async function detectDrift(stack: Stack): Promise<Drift[]> {
    const env = stack.workspace.envVars;
    const had = env.PULUMI_K8S_ENABLE_PATCH_FORCE;
    env.PULUMI_K8S_ENABLE_PATCH_FORCE = "true";
    const events: EngineEvent[] = [];
    try {
        await stack.preview({ refresh: true, onEvent: (e) => events.push(e) });
    } finally {
        if (had === undefined) delete env.PULUMI_K8S_ENABLE_PATCH_FORCE;
        else env.PULUMI_K8S_ENABLE_PATCH_FORCE = had;
    }
    return driftFrom(events);
}
