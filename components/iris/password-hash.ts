/**
 * IRIS's `[Startup] PasswordHash` value, derived from a password.
 *
 * Format (InterSystems CPF reference, "PasswordHash"): `PasswordHash=a,b[,c,d]`
 * with `a` the hashed password, `b` its salt, `c` the work factor (default
 * 10000) and `d` the algorithm (default SHA512). The hash is
 * PBKDF2-HMAC-SHA512(password as UTF-8, salt bytes, 10000 iterations, 64 bytes),
 * hash and salt written as lowercase hex. This was checked against the
 * `common.cpf` InterSystems ships with IKO (reference/iko/*\/samples), whose
 * PasswordHash is that of the default password `SYS`; the test keeps it as the
 * known vector.
 */
import { pbkdf2Sync } from "crypto";

/** The work factor and algorithm InterSystems' own tooling writes (and IRIS defaults to). */
export const passwordHashIterations = 10000;
export const passwordHashAlgorithm = "SHA512";
/** Salt length in bytes: the length of the SHA-512 output, as in the InterSystems sample. */
export const passwordHashSaltBytes = 64;

/** `hash,salt,10000,SHA512` for a password and a hex salt. */
export function irisPasswordHash(
    password: string,
    saltHex: string,
    iterations: number = passwordHashIterations,
): string {
    if (password.length === 0) throw new Error("iris-platform:irisPassword: must not be empty");
    if (!/^([0-9a-f]{2})+$/i.test(saltHex)) throw new Error("PasswordHash salt must be hex bytes");
    const salt = Buffer.from(saltHex, "hex");
    const hash = pbkdf2Sync(Buffer.from(password, "utf8"), salt, iterations, 64, "sha512");
    return `${hash.toString("hex")},${salt.toString("hex")},${iterations},${passwordHashAlgorithm}`;
}

const hashRe = /^[0-9a-f]+,[0-9a-f]+(,\d+,SHA(256|384|512))?$/i;

/**
 * Checks a user-given `irisPasswordHash` and returns it trimmed. The error
 * names the key but never echoes the value (it is secret).
 */
export function validatePasswordHash(value: string): string {
    const trimmed = value.trim().replace(/^PasswordHash=/, "");
    if (!hashRe.test(trimmed)) {
        throw new Error(
            "iris-platform:irisPasswordHash: must look like <hex hash>,<hex salt>[,<iterations>,SHA512] " +
                "(the value after `PasswordHash=`, e.g. from the intersystems/passwordhash image)",
        );
    }
    return trimmed;
}
