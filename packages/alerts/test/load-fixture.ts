import { readFileSync } from "node:fs";

/** Reads a JSON fixture from test/fixtures as text (tests parse the text, like real callers do). */
export function fixtureText(name: string): string {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- fixtures are loosely typed JSON
export function fixture(name: string): any {
  return JSON.parse(fixtureText(name));
}
