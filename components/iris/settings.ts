/**
 * The IRIS layer's view of the stack config: the validated `iko` and `iris` sections and the
 * secrets it reads. Components take these as their settings (the schema documents each field,
 * config/iris.ts); nothing else under iris/ names the config module.
 */
import type { IrisInstanceConfig, PlatformConfig } from "../../config";

/** The validated `iko` section. */
export type IkoSettings = PlatformConfig["iko"];
/** The validated `iris` section. */
export type IrisSettings = PlatformConfig["iris"];
/** One `iris.instances[]` entry. */
export type IrisInstanceSettings = IrisInstanceConfig;
/** The stack secrets the IRIS layer reads, and no other. */
export type IrisSecrets = Pick<
    PlatformConfig["secrets"],
    "registryToken" | "irisPassword" | "irisPasswordHash" | "irisLicenseKey" | "webgatewayPassword"
>;
