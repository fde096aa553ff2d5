/**
 * With `monitoring.iris.username` and `irisMetricsPassword`, IRIS itself requires that login on
 * `/api/monitor`: the instance's CPF merge file creates the user (PasswordHash, never the
 * password) and switches the web application to password authentication, in the [Actions]
 * syntax of InterSystems' configuration-merge documentation. Without the login nothing changes.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { parseConfig } from "../config";
import { Platform } from "../components/platform";
import { commonCpf, standaloneCpf } from "../components/iris/cpf";
import { irisPasswordHash } from "../components/iris/password-hash";
import { isSecretValue, runProgram } from "./mocks";
import { rejects } from "./config-helpers";

const memory = { globalBuffersMB: 128, gmheapMB: 64 };
const hash = "aa,bb,10000,SHA512";

/** The three actions, as "[Actions] Parameter Reference" (RACS_createuser/modifyapplication) spells them. */
const expectedActions = [
    `CreateUser:Name=prometheus,PasswordHash="${hash}"`,
    `ModifyUser:Name=prometheus,PasswordHash="${hash}"`,
    "ModifyApplication:Name=/api/monitor,AutheEnabled=$$$AuthePassword",
];

describe("/api/monitor login inside IRIS (CPF merge actions)", function () {
    it("renders CreateUser, ModifyUser and ModifyApplication in one [Actions] section", function () {
        const login = { username: "prometheus", passwordHash: hash };
        const ikoCommon = commonCpf("h,s", "c,s", login);
        assert.strictEqual(
            ikoCommon,
            `[Startup]\nPasswordHash=h,s\n\n[Actions]\nModifyUser:Name=CSPSystem,PasswordHash="c,s"\n${expectedActions.join("\n")}\n`,
        );
        const standalone = standaloneCpf(undefined, memory, login);
        assert.ok(standalone.endsWith(`\n[Actions]\n${expectedActions.join("\n")}\n`), standalone);
        assert.strictEqual((standalone.match(/\[Actions\]/g) ?? []).length, 1);
    });

    it("leaves /api/monitor as shipped without a login", function () {
        assert.ok(!commonCpf("h,s", "c,s").includes("/api/monitor"));
        assert.ok(!standaloneCpf("h,s", memory).includes("[Actions]"));
    });

    it("a standalone instance's merge Secret carries the user's hash, never its password", async function () {
        const { recording: r } = await runProgram(() => {
            const config = parseConfig(
                {
                    cluster: { provider: "existing" },
                    monitoring: {
                        enabled: true,
                        prometheus: "existing",
                        iris: { username: "prometheus" },
                    },
                    iris: { instances: [{ name: "iris" }] },
                },
                {
                    kubeconfig: pulumi.secret("k"),
                    irisPassword: pulumi.secret("p"),
                    irisMetricsPassword: pulumi.secret("metrics-secret"),
                },
            );
            return new Platform("p", { config });
        });
        const cpf = r.ofType("kubernetes:core/v1:Secret").find((s) => s.name.endsWith("-cpf"));
        assert.ok(cpf, "the merge-file Secret");
        const data = cpf.rawInputs.stringData as Record<string, unknown>;
        assert.ok(isSecretValue(data) || isSecretValue(data["merge.cpf"]), "a Pulumi secret");
        const text = (cpf.inputs.stringData as Record<string, string>)["merge.cpf"];
        assert.ok(!text.includes("metrics-secret"), "no plain password");
        const m =
            /CreateUser:Name=prometheus,PasswordHash="([0-9a-f]+),([0-9a-f]+),10000,SHA512"/.exec(
                text,
            );
        assert.ok(m, text);
        assert.strictEqual(
            `${m[1]},${m[2]},10000,SHA512`,
            irisPasswordHash("metrics-secret", m[2]),
        );
        assert.ok(
            text.includes("ModifyApplication:Name=/api/monitor,AutheEnabled=$$$AuthePassword"),
        );
    });

    it("refuses a user name that would break the merge line", function () {
        rejects(
            {
                cluster: { provider: "existing" },
                monitoring: { enabled: true, prometheus: "existing", iris: { username: "a,b" } },
            },
            { kubeconfig: pulumi.secret("k"), irisMetricsPassword: pulumi.secret("m") },
            /monitoring\.iris\.username: must be letters, digits/,
        );
    });

    // Predefined accounts: docs.intersystems.com GSA_config_user_accounts_predefined.
    for (const username of ["SuperUser", "cspsystem", "Admin", "UnknownUser", "IAM"])
        it(`refuses the predefined account ${username} (ModifyUser would change its password)`, function () {
            rejects(
                {
                    cluster: { provider: "existing" },
                    monitoring: { enabled: true, prometheus: "existing", iris: { username } },
                },
                { kubeconfig: pulumi.secret("k"), irisMetricsPassword: pulumi.secret("m") },
                /monitoring\.iris\.username: must not be a predefined IRIS account/,
            );
        });
});
