import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CoreError } from "../errors/core-error.js";
import { FileJournal } from "./file-journal.js";
import { InMemoryJournal } from "./in-memory-journal.js";
import type { NewJournalEntry } from "./journal-entry.js";
import { JournalCorruptError } from "./journal-error.js";

const key = "journal-key-for-tests-0123456789abcdef";
const entry = (stepId: string, event: NewJournalEntry["event"], extra: Partial<NewJournalEntry> = {}): NewJournalEntry => ({
  time: "2026-11-28T10:00:00.000Z",
  planId: "kwp_1",
  stepId,
  kind: "enable-firewall",
  event,
  code: "KW_REMEDIATION_I0001",
  message: `${stepId} ${event}`,
  ...extra,
});
const tempFile = () => join(mkdtempSync(join(tmpdir(), "kw-sealed-")), "journal.jsonl");

async function sealedFile(): Promise<{ path: string; lines: string[] }> {
  const path = tempFile();
  const journal = FileJournal.open(path, { key });
  await journal.append(entry("s1", "started", { before: { ipRules: ["1.1.1.1/32"] } }));
  await journal.append(entry("s1", "succeeded", { before: { ipRules: ["1.1.1.1/32"] } }));
  await journal.append(entry("s2", "approved", { data: { by: "alice" } }));
  await journal.append(entry("s2", "started"));
  return { path, lines: readFileSync(path, "utf8").trim().split("\n") };
}

function refusal(path: string): JournalCorruptError {
  try {
    FileJournal.open(path, { key });
  } catch (error) {
    if (error instanceof JournalCorruptError) return error;
    throw error;
  }
  throw new Error("the journal was accepted");
}

describe("sealed journals", () => {
  it("chains every entry and verifies the chain on reopen", async () => {
    const { path, lines } = await sealedFile();
    expect(lines.every((line) => typeof (JSON.parse(line) as { mac?: unknown }).mac === "string")).toBe(true);
    const reopened = FileJournal.open(path, { key });
    expect(reopened.verified).toBe(true);
    expect((await reopened.append(entry("s2", "succeeded"))).seq).toBe(5);
    expect(FileJournal.open(path, { key }).verified).toBe(true);
  });

  it("refuses an edited line, naming it", async () => {
    const { path, lines } = await sealedFile();
    const edited = JSON.parse(lines[1]!) as { before: { ipRules: string[] } };
    edited.before.ipRules = ["203.0.113.66/32"];
    writeFileSync(path, [lines[0], JSON.stringify(edited), lines[2], lines[3]].join("\n") + "\n");
    const error = refusal(path);
    expect(error.code).toBe("KW_CORE_E0030");
    expect(error.line).toBe(2);
    expect(error.message).toContain("line 2");
  });

  it("refuses a forged approval line inserted with the right seq numbers", async () => {
    const { path, lines } = await sealedFile();
    const forged = { ...(JSON.parse(lines[2]!) as object), stepId: "s9", seq: 3 };
    const renumber = (line: string, seq: number) => JSON.stringify({ ...(JSON.parse(line) as object), seq });
    writeFileSync(path, [lines[0], lines[1], JSON.stringify(forged), renumber(lines[2]!, 4), renumber(lines[3]!, 5)].join("\n") + "\n");
    expect(refusal(path).line).toBe(3);
  });

  it("refuses a removed line (a gap) and reordered lines", async () => {
    const { path, lines } = await sealedFile();
    const renumber = (line: string, seq: number) => JSON.stringify({ ...(JSON.parse(line) as object), seq });
    writeFileSync(path, [lines[0], renumber(lines[2]!, 2), renumber(lines[3]!, 3)].join("\n") + "\n");
    expect(refusal(path).line).toBe(2);
    writeFileSync(path, [lines[0], renumber(lines[2]!, 2), renumber(lines[1]!, 3), lines[3]].join("\n") + "\n");
    expect(refusal(path).line).toBe(2);
  });

  it("refuses an unsealed line and a journal sealed with another key", async () => {
    const { path, lines } = await sealedFile();
    const { mac: _mac, ...bare } = JSON.parse(lines[3]!) as { mac: string };
    writeFileSync(path, [lines[0], lines[1], lines[2], JSON.stringify(bare)].join("\n") + "\n");
    expect(refusal(path).line).toBe(4);
    writeFileSync(path, lines.join("\n") + "\n");
    expect(() => FileJournal.open(path, { key: "another key" })).toThrow(/line 1 does not verify/);
  });

  it("keeps a torn last line recoverable and reported", async () => {
    const { path } = await sealedFile();
    appendFileSync(path, '{"seq":5,"time":"2026');
    const reopened = FileJournal.open(path, { key });
    expect(reopened.recoveredTornLine).toBe(true);
    expect((await reopened.append(entry("s2", "succeeded"))).seq).toBe(5);
    expect(FileJournal.open(path, { key }).recoveredTornLine).toBe(false);
  });

  it("refuses to append after another process wrote to the file", async () => {
    const { path } = await sealedFile();
    const first = FileJournal.open(path, { key });
    const second = FileJournal.open(path, { key });
    await first.append(entry("s3", "started"));
    const error = await second.append(entry("s3", "started")).catch((caught: unknown) => caught);
    expect(CoreError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: "KW_CORE_E0031" });
    expect(FileJournal.open(path, { key }).verified).toBe(true);
  });

  it("an unkeyed file journal is not verified; an in-memory journal always is, unless handed unverifiable entries", async () => {
    expect(FileJournal.open(tempFile()).verified).toBe(false);
    const memory = new InMemoryJournal();
    await memory.append(entry("s1", "started"));
    expect(memory.verified).toBe(true);
    const copied = new InMemoryJournal(await memory.entries());
    expect(copied.verified).toBe(false);
    const keyed = new InMemoryJournal([], { key });
    await keyed.append(entry("s1", "started"));
    const entries = await keyed.entries();
    expect(new InMemoryJournal(entries, { key }).verified).toBe(true);
    entries[0]!.message = "edited";
    expect(() => new InMemoryJournal(entries, { key })).toThrow(JournalCorruptError);
  });
});
