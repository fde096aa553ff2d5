/**
 * What the fake `iris session` (inside test/fakes/backup-kubectl.js) answers: only the class
 * methods InterSystems documents, with the documented results. Anything else — a method that does
 * not exist, more arguments than the signature has — fails loudly (an `UNDOCUMENTED` call the
 * tests reject, and a failing exit status).
 *
 * `exit`: called as `iris session IRIS -U%SYS "##Class(C).M(…)"`, answered by exit status.
 * `value`: written to the terminal (`write ##class(C).M()` on standard input).
 */
export interface IrisMethod {
    readonly kind: "exit" | "value";
    /** Most positional arguments the signature takes. */
    readonly maxArgs: number;
    /** Exit status on success / failure (`exit`), or what the value is (`value`). */
    readonly success?: number;
    readonly failure?: number;
    readonly source: string;
}

const backupGeneral =
    "https://docs.intersystems.com/irislatest/csp/documatic/%25CSP.Documatic.cls?LIBRARY=%25SYS&CLASSNAME=Backup.General";
/** InterSystems Japan's walk-through of the external backup (argument positions, IsWDSuspended). */
const jpGuide = "github.com/iijimam/IRISBackupAndRestore ExternalBackup.md";
const awsSample =
    "https://docs.aws.amazon.com/ebs/latest/userguide/automate-app-consistent-backups.html (InterSystems IRIS sample document)";

export const irisMethods: Record<string, IrisMethod> = {
    "Backup.General.ExternalFreeze": {
        kind: "exit",
        // LogFile, Text, SwitchJournalFile, TimeOut, Hibernate, Verbose, ExternalFreezeTimeOut,
        // Username, Password, WDSuspendLimit, RequiredFile.
        maxArgs: 11,
        success: 5,
        failure: 3,
        source: `${backupGeneral}#ExternalFreeze (5 frozen, 3 failed when run from an OS script); argument order: ${jpGuide} (7th ExternalFreezeTimeOut, 10th WDSuspendLimit, 11th RequiredFile); ${awsSample}`,
    },
    "Backup.General.ExternalThaw": {
        kind: "exit",
        maxArgs: 1,
        success: 5,
        failure: 3,
        source: `${backupGeneral}#ExternalThaw; exit statuses 5/3: ${awsSample}`,
    },
    "Backup.General.IsWDSuspended": {
        kind: "value",
        maxArgs: 0,
        source: `${backupGeneral} (method inventory); 1 suspended, 0 running: ${jpGuide}, WDSuspendLimit`,
    },
    "%SYS.Journal.System.GetCurrentFileName": {
        kind: "value",
        maxArgs: 0,
        source: "https://docs.intersystems.com/irislatest/csp/documatic/%25CSP.Documatic.cls?LIBRARY=%25SYS&CLASSNAME=%25SYS.Journal.System (full path of the current journal file)",
    },
};
