/** Ordering inside the rendered node bootstrap script (pure; no mocks). */
import * as assert from "assert";
import { renderBootstrapScript } from "../components/cluster/aws/cloudinit";

const facts = {
    kubernetesMinor: "1.35",
    containerdVersion: "2.3.4",
    region: "eu-west-1",
    ssmPrefix: "/iris-platform/iris",
    endpoint: "api.example",
};

describe("AWS node bootstrap ordering", function () {
    for (const role of ["control-plane", "worker"] as const) {
        it(`${role}: loads kernel modules only after packages (and linux-modules-extra when iscsi_tcp is missing)`, function () {
            const s = renderBootstrapScript({ ...facts, role });
            const at = (needle: string) => {
                const i = s.indexOf(needle);
                assert.ok(i >= 0, `missing: ${needle}`);
                return i;
            };
            const install = at("retry apt-get install -y -q ca-certificates");
            const extra = at("linux-modules-extra-$(uname -r)");
            const load = at("systemctl restart systemd-modules-load.service");
            const iscsid = at("systemctl enable --now iscsid");
            assert.ok(
                install < extra && extra < load && load < iscsid,
                "packages, then modules-extra fallback, then module load, then iscsid",
            );
            assert.ok(load < at("kubeadm"), "modules and sysctls before kubeadm");
        });
    }
});

describe("AWS control-plane init", function () {
    it("retries kubeadm init from a clean state (reset, PKI fetched again) and gives up after three attempts", function () {
        const s = renderBootstrapScript({ ...facts, role: "control-plane", controlPlaneIndex: 0 });
        const init = s.slice(s.indexOf("for attempt in 1 2 3; do\n    if kubeadm init"));
        assert.ok(
            init.length > 0 && s.includes("for attempt in 1 2 3; do\n    if kubeadm init"),
            "init runs in a bounded retry loop",
        );
        const reset = init.indexOf("kubeadm reset -f");
        assert.ok(
            reset > 0 && init.indexOf("fetch_pki", reset) > reset,
            "a failed init is reset and the PKI fetched again",
        );
        assert.ok(
            init.indexOf('[ "$attempt" = 3 ] && exit 1') < reset,
            "the third failure ends the bootstrap",
        );
    });
});
