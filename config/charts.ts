/**
 * `iris-platform:charts`: where the platform's Helm charts come from. By default
 * each chart from its upstream repository (versions.ts); air-gapped and
 * CI-restricted stacks name one mirror for all (an unpacked directory, a Helm
 * repository or an OCI prefix) and/or a source per chart. Versions stay the
 * pinned ones; a local directory is its own version.
 */
import { z } from "zod";
import { chartKeys } from "../versions";

const remote = z
    .string()
    .regex(/^(oci|https?):\/\/\S+$/, "must be an oci://, https:// or http:// chart repository");

/** One chart's source: a local chart directory or a repository/OCI prefix that holds it under its own name. */
const chartSource = z
    .strictObject({ path: z.string().min(1).optional(), repo: remote.optional() })
    .refine((s) => !s.path !== !s.repo, { message: "must set exactly one of path and repo" });

export const chartsSchema = z
    .strictObject({
        /** One folder holding every chart unpacked as `<directory>/<chart name>` (e.g. `longhorn`, `cert-manager`). */
        directory: z.string().min(1).optional(),
        /** One Helm repository or `oci://` prefix holding every chart under its own name, at the pinned versions. */
        mirror: remote.optional(),
        /** User for `mirror` and `repo` sources; the password is the `chartRegistryPassword` secret. */
        username: z.string().min(1).optional(),
        /** A source per chart (keys as in versions.ts), taking precedence over `directory`/`mirror`. */
        overrides: z
            .strictObject(Object.fromEntries(chartKeys.map((k) => [k, chartSource.optional()])))
            .prefault({}),
    })
    .superRefine((c, ctx) => {
        if (c.directory && c.mirror)
            ctx.addIssue({
                code: "custom",
                path: ["mirror"],
                input: c.mirror,
                message: "conflicts with charts.directory: set one of them",
            });
        const remoteOverride = Object.values(c.overrides).some((o) => o?.repo);
        if (c.username && !c.mirror && !remoteOverride) {
            ctx.addIssue({
                code: "custom",
                path: ["username"],
                input: c.username,
                message: "needs charts.mirror or an overrides.<chart>.repo to log in to",
            });
        }
    });
