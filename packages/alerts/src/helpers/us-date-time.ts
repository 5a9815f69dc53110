const usDateTime = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?(?: ?([AP]M))?$/i;

function pad(value: number, width: number): string {
  return String(value).padStart(width, "0");
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Converts the US-style `MM/dd/yyyy HH:mm:ss` times of extended properties (no zone; Defender writes UTC) to
 * ISO 8601 UTC, e.g. `"09/08/2022 07:51:17"` -> `"2022-09-08T07:51:17Z"`. A fraction (up to 7 digits) and an
 * `AM`/`PM` suffix are accepted and kept. Returns `undefined` for anything else, including impossible dates.
 */
export function parseUsDateTime(text: string | undefined): string | undefined {
  if (typeof text !== "string") return undefined;
  const match = usDateTime.exec(text.trim());
  if (match === null) return undefined;
  const month = Number(match[1]);
  const day = Number(match[2]);
  const year = Number(match[3]);
  let hour = Number(match[4]);
  const minute = Number(match[5]);
  const second = Number(match[6]);
  const fraction = match[7];
  const meridiem = match[8]?.toUpperCase();
  if (meridiem !== undefined) {
    if (hour < 1 || hour > 12) return undefined;
    if (meridiem === "AM" && hour === 12) hour = 0;
    if (meridiem === "PM" && hour !== 12) hour += 12;
  }
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const time = `${pad(hour, 2)}:${pad(minute, 2)}:${pad(second, 2)}${fraction === undefined ? "" : `.${fraction}`}`;
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${time}Z`;
}
