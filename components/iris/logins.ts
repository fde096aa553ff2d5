/**
 * The password hashes IRIS's CPF merge writes: the default password's and the metrics
 * user's, each salted with random bytes kept in state.
 */
import * as pulumi from "@pulumi/pulumi";
import { RandomBytes } from "@pulumi/random/randomBytes";
import { irisPasswordHash, passwordHashSaltBytes, validatePasswordHash } from "./password-hash";
import type { MetricsLogin } from "./cpf";
import type { InstanceArgs, PasswordSource } from "./instance-args";
import type { ChildOptions } from "../providers";

/**
 * The `PasswordHash` value (a Pulumi secret). A password is hashed with a
 * random 64-byte salt kept in state (`random.RandomBytes`), so the value is
 * stable between updates and unique per instance.
 */
export function passwordHashFor(
    name: string,
    source: PasswordSource,
    opts: ChildOptions,
): pulumi.Output<string> | undefined {
    if (source.passwordHash) return pulumi.secret(source.passwordHash.apply(validatePasswordHash));
    if (!source.password) return undefined;
    const salt = new RandomBytes(name, { length: passwordHashSaltBytes }, opts);
    return pulumi.secret(
        pulumi
            .all([source.password, salt.hex])
            .apply(([password, hex]) => irisPasswordHash(password, hex)),
    );
}

/**
 * The `/api/monitor` user as the CPF merge writes it (username and a secret PasswordHash with a
 * salt of its own, `<name>-metrics-salt`), or undefined when no metrics login is configured.
 */
export function metricsLoginFor(
    name: string,
    login: InstanceArgs["metricsLogin"],
    opts: ChildOptions,
): pulumi.Output<MetricsLogin | undefined> {
    const hash = login
        ? passwordHashFor(`${name}-metrics-salt`, { password: login.password }, opts)
        : undefined;
    return login && hash
        ? hash.apply((passwordHash) => ({ username: login.username, passwordHash }))
        : pulumi.output(undefined);
}

/**
 * What every IRIS instance (standalone or IKO) logs in with: the default password's hash
 * (`<name>-salt`) and the metrics user. `opts` are the instance's child options with its
 * random provider (childOptions(this, opts, { provider: "random" })).
 */
export function instanceLogins(
    name: string,
    args: Pick<InstanceArgs, "password" | "metricsLogin">,
    opts: ChildOptions,
): {
    readonly passwordHash: pulumi.Output<string> | undefined;
    readonly metrics: pulumi.Output<MetricsLogin | undefined>;
} {
    return {
        passwordHash: passwordHashFor(`${name}-salt`, args.password, opts),
        metrics: metricsLoginFor(name, args.metricsLogin, opts),
    };
}
