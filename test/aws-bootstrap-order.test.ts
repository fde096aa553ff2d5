/** Ordering inside the rendered node bootstrap script (pure; no mocks). */
import * as assert from "assert";
import { renderBootstrapScript } from "../components/cluster/aws/cloudinit";

const facts = { kubernetesMinor: "1.35", containerdVersion: "2.3.4", region: "eu-west-1", ssmPrefix: "/iris-platform/iris", endpoint: "api.example" };

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
            const extra = at('linux-modules-extra-$(uname -r)');
            const load = at("systemctl restart systemd-modules-load.service");
            const iscsid = at("systemctl enable --now iscsid");
            assert.ok(install < extra && extra < load && load < iscsid, "packages, then modules-extra fallback, then module load, then iscsid");
            assert.ok(load < at("kubeadm"), "modules and sysctls before kubeadm");
        });
    }
});
