/**
 * The pre-upgrade Job's script run by bash against a stub kubectl (test/fixtures/
 * pre-upgrade-kubectl.sh): whether the workload exists is read from kubectl's stdout only, so a
 * warning on stderr (kubectl prints API `Warning:` headers there: k8s.io/client-go rest/warnings.go
 * WarningWriter, which kubectl installs on its error stream) does not pass for "it exists".
 */
import * as assert from "assert";
import * as path from "path";
import { preUpgradeScript } from "../components/iris/pre-upgrade";
import { run } from "./fakes/script-run";

const kubectl = path.join(__dirname, "fixtures", "pre-upgrade-kubectl.sh");
const env = {
    NAMESPACE: "iris",
    INSTANCE: "iris",
    WORKLOAD: "deployments.apps",
    UPGRADE_TO: "iris:2025.2",
};
const once = (kase: string) =>
    run(preUpgradeScript('"$FAKE_DIR/backup.sh"'), env, [], kubectl, {
        case: kase,
        "backup.sh": "echo STUB-BACKUP-SET\n",
    });

describe("pre-upgrade script (bash, stub kubectl)", function () {
    it("a warning on stderr with nothing on stdout is a first deploy: nothing to back up, exit 0", function () {
        const r = once("absent");
        assert.strictEqual(r.status, 0, r.stderr);
        assert.match(
            r.stdout,
            /deployments\.apps iris does not exist yet \(first deploy\): nothing to back up/,
        );
        assert.doesNotMatch(r.stdout, /STUB-BACKUP-SET/);
    });

    it("an existing workload (warning or not) takes the set", function () {
        const r = once("present");
        assert.strictEqual(r.status, 0, r.stderr);
        assert.match(
            r.stdout,
            /taking a consistent set before the upgrade to iris:2025\.2\nSTUB-BACKUP-SET/,
        );
    });

    it("a missing CRD is no workload; any other kubectl error fails the Job with kubectl's message", function () {
        assert.strictEqual(once("no-crd").status, 0);
        const r = once("forbidden");
        assert.strictEqual(r.status, 1);
        assert.match(
            r.stderr,
            /cannot tell whether the instance exists: Error from server \(Forbidden\)/,
        );
        assert.doesNotMatch(r.stdout, /STUB-BACKUP-SET/);
    });
});
