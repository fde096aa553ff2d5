/**
 * The IRIS calls of a backup set, as InterSystems documents them (pure; used by backup-script.ts
 * and checked by the fake `iris` in test/fakes/iris-methods.ts).
 *
 * Sources:
 * - Backup.General class reference:
 *   https://docs.intersystems.com/irislatest/csp/documatic/%25CSP.Documatic.cls?LIBRARY=%25SYS&CLASSNAME=Backup.General
 * - Data Integrity Guide, "External Backup":
 *   https://docs.intersystems.com/irislatest/csp/docbook/DocBook.UI.Page.cls?KEY=GCDI_backup#GCDI_backup_methods_ext
 * - ExternalFreeze's arguments 1–11 by position (7th ExternalFreezeTimeOut, 10th WDSuspendLimit,
 *   11th RequiredFile) and IsWDSuspended (1 suspended, 0 running): InterSystems Japan's
 *   walk-through, github.com/iijimam/IRISBackupAndRestore ExternalBackup.md ("特別な考慮"); the
 *   class reference's signature above agrees on 1–7.
 * - AWS EBS user guide, "Automate application-consistent snapshots with Data Lifecycle Manager",
 *   InterSystems IRIS sample: `ExternalFreeze(log,,,,,,600,,,300)`, exit status 5 frozen / 3
 *   failed; `ExternalThaw()` exit status 5 thawed / 3 failed
 *   (https://docs.aws.amazon.com/ebs/latest/userguide/automate-app-consistent-backups.html).
 */

/** Exit status of `iris session IRIS -U%SYS "##Class(Backup.General).ExternalFreeze(…)"` when frozen (3: failed). */
export const freezeSucceeded = 5;
/** Exit status of `iris session … "##Class(Backup.General).ExternalThaw()"` when thawed (3: failed; AWS sample). */
export const thawSucceeded = 5;

/**
 * The ExternalFreeze call with IRIS's own limit: positional arguments 1 LogFile, 2 Text (journal
 * marker), 3 SwitchJournalFile, 4 TimeOut, 5 Hibernate, 6 Verbose, 7 ExternalFreezeTimeOut,
 * 8 Username, 9 Password, 10 WDSuspendLimit, 11 RequiredFile (by reference). WDSuspendLimit makes
 * IRIS resume its write daemon by itself after that many seconds, so a freeze nobody thaws (the
 * Job killed, the node lost) ends anyway. ExternalFreezeTimeOut stays at its default (600 s), past
 * which IRIS would pause every process; config keeps the suspend limit below it (≤ 300 s).
 * `$1` is the bash expression of the set id, `$2` that of the limit in seconds.
 */
export function freezeCall(setId: string, limitSeconds: string): string {
    const args = [
        '""', // 1 LogFile: default (messages.log)
        // 2 Text of the journal marker; no spaces: AWS's sample passes only space-free arguments
        // through `iris session`'s command line, and we do not know how it splits others.
        `"iris-platform-backup-set-${setId}"`,
        "1", // 3 SwitchJournalFile: a new journal file starts at the freeze
        "", // 4 TimeOut (clusters only)
        "", // 5 Hibernate (clusters only)
        "", // 6 Verbose (clusters only)
        "", // 7 ExternalFreezeTimeOut: default 600 s
        "", // 8 Username
        "", // 9 Password
        limitSeconds, // 10 WDSuspendLimit
    ];
    return `##Class(Backup.General).ExternalFreeze(${args.join(",")})`;
}

/** ExternalThaw, as the freeze's counterpart. */
export const thawCall = "##Class(Backup.General).ExternalThaw()";

/**
 * ObjectScript read through `iris session`'s standard input: each prints `<TAG>=<value>` on a
 * line so the answer is found among the terminal's prompts.
 * - GetCurrentFileName(): the full path of the current journal file (class %SYS.Journal.System,
 *   https://docs.intersystems.com/irislatest/csp/documatic/%25CSP.Documatic.cls?LIBRARY=%25SYS&CLASSNAME=%25SYS.Journal.System).
 * - IsWDSuspended(): 1 while the write daemon is suspended, 0 once it runs (Backup.General); read
 *   before thawing, it says whether the suspend limit ended the freeze before the snapshots.
 */
export const queries = {
    journal: {
        tag: "JOURNAL",
        code: 'write "JOURNAL=",##class(%SYS.Journal.System).GetCurrentFileName(),! halt',
    },
    suspended: {
        tag: "WDSUSPENDED",
        code: 'write "WDSUSPENDED=",##class(Backup.General).IsWDSuspended(),! halt',
    },
} as const;
