/** Firing, silent and resolving cases of the platform alerts (Longhorn, cert-manager). */
import type { RulesInput } from "../../components/monitoring/rules";
import * as b from "./baseline";
import * as x from "./exporters";
import { t0, type AlertCase } from "./suite";

const { steady, switchAt } = b;

export function platformCases(input: RulesInput): AlertCase[] {
    const cases: AlertCase[] = [];
    if (input.longhorn) {
        const volume = {
            volume: "pvc-0a1b2c",
            pvc: "iris-data-iris-data-0-0",
            pvc_namespace: "iris",
        };
        for (const [alert, state, firingAt] of [
            ["LonghornVolumeDegraded", "degraded", "30m"],
            ["LonghornVolumeFaulted", "faulted", "30m"],
        ] as const)
            cases.push(
                {
                    alert,
                    kind: "fires",
                    what: `robustness ${state}`,
                    series: b.longhornVolume(`${state}x300`),
                    checks: [{ at: firingAt, firing: [volume] }],
                },
                {
                    alert,
                    kind: "silent",
                    what: "robustness healthy",
                    series: b.longhornVolume(),
                    checks: [{ at: firingAt, firing: [] }],
                },
                {
                    alert,
                    kind: "resolves",
                    what: `${state} for an hour, then healthy`,
                    series: b.longhornVolume(`${state}x59 healthyx240`),
                    checks: [
                        { at: "45m", firing: [volume] },
                        { at: "2h", firing: [] },
                    ],
                },
            );
        const failed = { volume: "pvc-0a1b2c", backup: "backup-2" };
        const withBackup = (state: string, lastBackupAt: string) => [
            ...b.longhornVolume("healthyx300", lastBackupAt),
            x.longhornBackup("pvc-0a1b2c", "backup-1", steady(3)),
            x.longhornBackup("pvc-0a1b2c", "backup-2", state),
        ];
        cases.push(
            {
                alert: "LonghornBackupFailed",
                kind: "fires",
                what: "a backup in Error, the volume's last backup older",
                series: withBackup(steady(4), steady(t0 - 86400)),
                checks: [{ at: "30m", firing: [failed] }],
            },
            {
                alert: "LonghornBackupFailed",
                kind: "silent",
                what: "backups Completed",
                series: withBackup(steady(3), steady(t0 - 7200)),
                checks: [{ at: "30m", firing: [] }],
            },
            {
                alert: "LonghornBackupFailed",
                kind: "resolves",
                what: "the failed Backup stays (until pruned) but a later backup completes",
                series: withBackup(steady(4), switchAt(50, t0 - 86400, t0 + 50 * 60)),
                checks: [
                    { at: "30m", firing: [failed] },
                    { at: "90m", firing: [] },
                ],
            },
        );
    }
    if (input.certManager) {
        const cert = { exported_namespace: "iris", name: "iris-tls" };
        cases.push(
            {
                alert: "CertificateExpiresSoon",
                kind: "fires",
                what: "expires in 10 days",
                series: b.certificate(steady(t0 + 10 * 86400)),
                checks: [{ at: "80m", firing: [cert] }],
            },
            {
                alert: "CertificateExpiresSoon",
                kind: "silent",
                what: "expires in 60 days",
                series: b.certificate(),
                checks: [{ at: "80m", firing: [] }],
            },
            {
                alert: "CertificateExpiresSoon",
                kind: "silent",
                what: "not issued yet (expiration 0)",
                series: b.certificate(steady(0), "Falsex300"),
                checks: [{ at: "80m", firing: [] }],
            },
            {
                alert: "CertificateExpiresSoon",
                kind: "resolves",
                what: "renewed after 100 minutes",
                series: b.certificate(switchAt(100, t0 + 10 * 86400, t0 + 90 * 86400)),
                checks: [
                    { at: "80m", firing: [cert] },
                    { at: "150m", firing: [] },
                ],
            },
            {
                alert: "CertificateNotReady",
                kind: "fires",
                what: "Ready False",
                series: b.certificate(steady(0), "Falsex300"),
                checks: [{ at: "80m", firing: [cert] }],
            },
            {
                alert: "CertificateNotReady",
                kind: "silent",
                what: "Ready True",
                series: b.certificate(),
                checks: [{ at: "80m", firing: [] }],
            },
            {
                alert: "CertificateNotReady",
                kind: "resolves",
                what: "issued after 100 minutes",
                series: b.certificate(switchAt(100, 0, t0 + 90 * 86400), "Falsex99 Truex200"),
                checks: [
                    { at: "80m", firing: [cert] },
                    { at: "150m", firing: [] },
                ],
            },
        );
    }
    return cases;
}
