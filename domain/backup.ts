/** Facts about IRIS backup sets that config and components share. */

/** A backup set's id: the UTC time of its IRIS freeze, `YYYYMMDDTHHMMSSZ`. */
export const backupSetIdPattern = /^\d{8}T\d{6}Z$/;
