/**
 * The password hashes IRIS's CPF merge writes: the default password's and the metrics
 * user's, each salted with random bytes kept in state.
 */
import * as pulumi from "@pulumi/pulumi";
import type { Provider as RandomProvider } from "@pulumi/random/provider";
import { RandomBytes } from "@pulumi/random/randomBytes";
import { irisPasswordHash, passwordHashSaltBytes, validatePasswordHash } from "./password-hash";
import type { MetricsLogin } from "./cpf";
import type { InstanceArgs, PasswordSource } from "./instance-args";

/**
 * The `PasswordHash` value (a Pulumi secret). A password is hashed with a
 * random 64-byte salt kept in state (`random.RandomBytes`), so the value is
 * stable between updates and unique per instance.
 */
export function passwordHashFor(
    name: string,
    source: PasswordSource,
    randomProvider: RandomProvider,
    opts: pulumi.CustomResourceOptions,
): pulumi.Output<string> | undefined {
    if (source.passwordHash) return pulumi.secret(source.passwordHash.apply(validatePasswordHash));
    if (!source.password) return undefined;
    const salt = new RandomBytes(
        name,
        { length: passwordHashSaltBytes },
        { ...opts, provider: randomProvider },
    );
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
    randomProvider: RandomProvider,
    opts: pulumi.CustomResourceOptions,
): pulumi.Output<MetricsLogin | undefined> {
    const hash = login
        ? passwordHashFor(
              `${name}-metrics-salt`,
              { password: login.password },
              randomProvider,
              opts,
          )
        : undefined;
    return login && hash
        ? hash.apply((passwordHash) => ({ username: login.username, passwordHash }))
        : pulumi.output(undefined);
}
