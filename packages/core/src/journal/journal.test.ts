import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FileJournal } from "./file-journal.js";
import { InMemoryJournal } from "./in-memory-journal.js";
import type { NewJournalEntry } from "./journal-entry.js";
import { JournalCorruptError } from "./journal-error.js";

const entry = (stepId: string, event: NewJournalEntry["event"]): NewJournalEntry => ({
  time: "2026-11-28T10:00:00.000Z",
  planId: "plan-1",
  stepId,
  kind: "enable-firewall",
  event,
  code: "KW_REMEDIATION_I0001",
  message: `${stepId} ${event}`,
});

const tempFile = () => join(mkdtempSync(join(tmpdir(), "kw-journal-")), "nested", "journal.jsonl");

describe("InMemoryJournal", () => {
  it("assigns increasing seq numbers and returns copies", async () => {
    const journal = new InMemoryJournal();
    const first = await journal.append(entry("s1", "started"));
    await journal.append(entry("s1", "succeeded"));
    first.message = "mutated";
    const entries = await journal.entries();
    expect(entries.map((e) => [e.seq, e.event])).toEqual([
      [1, "started"],
      [2, "succeeded"],
    ]);
    expect(entries[0]!.message).toBe("s1 started");
  });
});

describe("FileJournal", () => {
  it("persists entries as JSON Lines and reads them back on reopen", async () => {
    const path = tempFile();
    const journal = FileJournal.open(path);
    await Promise.all([journal.append(entry("s1", "started")), journal.append(entry("s1", "succeeded"))]);
    const lines = readFileSync(path, "utf8").trim().split("\n");
    expect(lines.map((line) => (JSON.parse(line) as { seq: number }).seq)).toEqual([1, 2]);

    const reopened = FileJournal.open(path);
    await reopened.append(entry("s2", "started"));
    expect((await reopened.entries()).map((e) => `${e.seq}:${e.stepId}:${e.event}`)).toEqual([
      "1:s1:started",
      "2:s1:succeeded",
      "3:s2:started",
    ]);
  });

  it("drops a torn last line from an interrupted write and keeps appending", async () => {
    const path = tempFile();
    const journal = FileJournal.open(path);
    await journal.append(entry("s1", "started"));
    appendFileSync(path, '{"seq":2,"time":"2026');
    const reopened = FileJournal.open(path);
    expect(reopened.recoveredTornLine).toBe(true);
    const next = await reopened.append(entry("s1", "succeeded"));
    expect(next.seq).toBe(2);
    expect(FileJournal.open(path).recoveredTornLine).toBe(false);
  });

  it("refuses a journal that was edited in the middle", async () => {
    const path = tempFile();
    const journal = FileJournal.open(path);
    await journal.append(entry("s1", "started"));
    await journal.append(entry("s1", "succeeded"));
    const [first, second] = readFileSync(path, "utf8").trim().split("\n");
    writeFileSync(path, `${second}\n${first}\n`);
    expect(() => FileJournal.open(path)).toThrow(JournalCorruptError);
    writeFileSync(path, `not json\n${second}\n`);
    expect(() => FileJournal.open(path)).toThrow(/line 1 is not valid JSON/);
  });
});
