import type {
  ImpactAccess,
  ImpactCaller,
  ImpactCallerPath,
  ImpactEvidenceSource,
  ImpactObject,
  ImpactObjectType,
  ImpactOperation,
  ImpactRotation,
  ImpactUnattributedOperation,
  ImpactVaultChange,
  VaultChangeKind,
} from "./impact-report.js";
import { classifyOperation, type OperationInfo } from "./operations.js";
import { objectUri, parseObjectUri, type ObjectRef } from "./object-uri.js";

/**
 * Folds summary rows (one per object, operation, caller and result) into per-object, per-caller and per-vault
 * aggregates. Memory grows with the number of distinct objects, operations and callers, never with rows: rows
 * are read once and not kept. The hot path (`add`) does a handful of map look-ups and no allocation for rows
 * whose object, operation and caller were already seen.
 */

const sourceBits: Record<ImpactEvidenceSource, number> = { alert: 1, AZKVAuditLogs: 2, AzureDiagnostics: 4 };
const sourceOrder: readonly ImpactEvidenceSource[] = ["alert", "AZKVAuditLogs", "AzureDiagnostics"];

function sourcesOf(bits: number): ImpactEvidenceSource[] {
  return sourceOrder.filter((s) => (bits & sourceBits[s]) !== 0);
}

interface Span {
  first: number;
  last: number;
}

interface CallerState extends Span {
  ip: string;
  oid: string;
  upn: string;
  appId: string;
  count: number;
  failed: number;
}

/**
 * One operation on one object. The hot counters live in `OperationCounters` at `slot`; the fields below them are
 * filled from there by `build` (see `OperationCounters.readInto`).
 */
interface OperationState extends Span {
  operation: string;
  info: OperationInfo;
  slot: number;
  succeeded: number;
  failed: number;
  /** HTTP status and request count pairs, flat (`[200, 5, 403, 1]`), in first-seen order (filled by `build`). */
  statusCodes: number[];
  /** Statuses after the first two (rare), as pairs; the first two are counted in place. */
  moreStatusCodes: number[];
  /** Counts by `ResultType` for rows without a status (no httpStatusCode_d column). */
  resultTypes: Map<string, number>;
  sources: number;
}

/**
 * The counters of every (object, operation) pair, nine doubles per pair: succeeded, failed, first, last, source
 * bits, then two (status, count) pairs (an operation rarely sees more than two statuses; more go to the state's
 * `moreStatusCodes`). One contiguous record per row instead of an object, two boxed times and a status array.
 */
const opStride = 9;

class OperationCounters {
  data = new Float64Array(opStride * 1024);
  private size = 0;

  allocate(): number {
    if ((this.size + 1) * opStride > this.data.length) {
      const grown = new Float64Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    const slot = this.size++;
    this.data[slot * opStride + 2] = Number.NaN;
    this.data[slot * opStride + 3] = Number.NaN;
    return slot;
  }

  /** Copies the counters of `op` into its fields, for `build`. */
  readInto(op: OperationState): void {
    const d = this.data;
    const i = op.slot * opStride;
    op.succeeded = d[i]!;
    op.failed = d[i + 1]!;
    op.first = d[i + 2]!;
    op.last = d[i + 3]!;
    op.sources = d[i + 4]!;
    const codes: number[] = [];
    if (d[i + 5] !== 0) codes.push(d[i + 5]!, d[i + 6]!);
    if (d[i + 7] !== 0) codes.push(d[i + 7]!, d[i + 8]!);
    op.statusCodes = codes.concat(op.moreStatusCodes);
  }
}

/**
 * One operation name as logged (exact case), interned once per accumulator: its classification, a small index
 * that objects use to find their state for it (an array slot, not a string-keyed map), and its unattributed keys.
 */
interface OperationKind {
  index: number;
  name: string;
  info: OperationInfo;
  /** `${source}\u0000${name}` per source bit, built on first use instead of per row. */
  unattributedKeys: (string | undefined)[];
  /** Log rows of this operation left out as noise (no data access, no change), for the decision log. */
  skipped: number;
}

/** All callers seen from one IP address; `stamp` and `rank` are scratch fields for ordering at build time. */
interface IpGroup {
  identities: CallerIdentity[];
  stamp: number;
  rank: number;
}

/**
 * One caller (IP plus the three identity columns, exact case), interned once per accumulator, so a row costs one
 * small look-up for its caller however many objects it touches. Its keys are built once, not per row or state.
 */
class CallerIdentity {
  /** Case-insensitive identity (the vault-wide list and the census merge on it). */
  readonly mergeKey: string;
  /** The tie-break order of callers with equal counts: `ip|oid|upn|appId` as reported. */
  readonly sortKey: string;
  constructor(
    readonly id: number,
    readonly group: IpGroup,
    readonly ip: string,
    readonly oid: string,
    readonly upn: string,
    readonly appId: string,
  ) {
    this.mergeKey = callerKey4(ip, oid, upn, appId);
    this.sortKey = `${ip}|${oid}|${upn}|${appId}`;
  }
}

/** A caller's counts on one object, vault change or the rest of the vault, as `build` reads them. */
class OwnedCallerState implements CallerState {
  readonly ip: string;
  readonly oid: string;
  readonly upn: string;
  readonly appId: string;
  constructor(
    readonly identity: CallerIdentity,
    public count: number,
    public failed: number,
    public first: number,
    public last: number,
  ) {
    this.ip = identity.ip;
    this.oid = identity.oid;
    this.upn = identity.upn;
    this.appId = identity.appId;
  }
}

/**
 * The counters of every (owner, caller) pair, four doubles per pair (count, failed, first, last) in one growing
 * array. Pairs are the largest population (objects x callers): as objects with boxed times they were scattered
 * over many cache lines, here a row touches one.
 */
class CallerCounters {
  data = new Float64Array(4 * 1024);
  private size = 0;

  allocate(): number {
    if ((this.size + 1) * 4 > this.data.length) {
      const grown = new Float64Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    const slot = this.size++;
    this.data[slot * 4 + 2] = Number.NaN;
    this.data[slot * 4 + 3] = Number.NaN;
    return slot;
  }

  bump(slot: number, count: number, ok: boolean, first: number, last: number): void {
    const d = this.data;
    const i = slot * 4;
    d[i]! += count;
    if (!ok) d[i + 1]! += count;
    // NaN compares false: an unknown time never replaces a known one.
    if (!(d[i + 2]! <= first) && !Number.isNaN(first)) d[i + 2] = first;
    if (!(d[i + 3]! >= last) && !Number.isNaN(last)) d[i + 3] = last;
  }
}

/** `CallerCounters.bump` for the hot path, with the times read from the row (see `widenByRow`). */
function bumpSlotByRow(d: Float64Array, slot: number, count: number, ok: boolean, row: SummaryRow): void {
  const i = slot * 4;
  d[i]! += count;
  if (!ok) d[i + 1]! += count;
  const first = row.firstTime;
  const last = row.lastTime;
  if (!(d[i + 2]! <= first) && !Number.isNaN(first)) d[i + 2] = first;
  if (!(d[i + 3]! >= last) && !Number.isNaN(last)) d[i + 3] = last;
}

/**
 * The callers of one owner (object, vault change, or the rows that touch neither), in first-seen order, found by
 * the interned identity's id: an array slot per row instead of a string-keyed map and string comparisons.
 */
class CallerSet {
  private readonly identities: CallerIdentity[] = [];
  private readonly slots: number[] = [];
  private readonly byId: (number | undefined)[] = [];

  constructor(private readonly counters: CallerCounters) {}

  /** The counter slot of `identity` in this set, allocated on first sight. */
  slotOf(identity: CallerIdentity): number {
    const slot = this.byId[identity.id];
    if (slot !== undefined) return slot;
    const allocated = this.counters.allocate();
    this.byId[identity.id] = allocated;
    this.identities.push(identity);
    this.slots.push(allocated);
    return allocated;
  }

  /**
   * The states grouped by IP (IPs in first-seen order, then callers in first-seen order within an IP): the order
   * reports have always listed equal-count callers in. Usually that is first-seen order already, and no sort is made.
   */
  inIpOrder(): OwnedCallerState[] {
    const d = this.counters.data;
    const states = this.identities.map((identity, n) => {
      const i = this.slots[n]! * 4;
      return new OwnedCallerState(identity, d[i]!, d[i + 1]!, d[i + 2]!, d[i + 3]!);
    });
    const stamp = ++orderStamp;
    let ordered = true;
    let previous = -1;
    for (let i = 0; i < states.length; i++) {
      const group = states[i]!.identity.group;
      if (group.stamp !== stamp) {
        group.stamp = stamp;
        group.rank = i;
      }
      if (group.rank < previous) ordered = false;
      previous = group.rank;
    }
    if (ordered) return states;
    const rank = (s: OwnedCallerState, i: number): [number, number, OwnedCallerState] => [s.identity.group.rank, i, s];
    return states
      .map(rank)
      .sort((a, b) => a[0] - b[0] || a[1] - b[1])
      .map(([, , s]) => s);
  }
}

let orderStamp = 0;

function bump(caller: CallerState, count: number, ok: boolean, first: number, last: number): void {
  caller.count += count;
  if (!ok) caller.failed += count;
  widen(caller, first, last);
}


interface ObjectState extends Span {
  type: ImpactObjectType;
  name: string;
  host: string;
  versions: Set<string>;
  /** Operation states and their counter slots by `OperationKind.index`; `operationList` in first-seen order. */
  operations: (OperationState | undefined)[];
  operationSlots: (number | undefined)[];
  operationList: OperationState[];
  callers: CallerSet;
  succeeded: number;
  failed: number;
  sources: number;
  namedByAlert: boolean;
}

interface VaultChangeState extends Span {
  operation: string;
  kind: VaultChangeKind;
  succeeded: number;
  failed: number;
  callers: CallerSet;
  sources: number;
}

/**
 * Where a URI lands: the object reference it names (or none), and the object's state once an object operation
 * touched it. Cached per distinct URI string.
 */
interface UriTarget {
  ref: ObjectRef | undefined;
  object: ObjectState | undefined;
}

/** One summary row, already split into fields. Times are epoch milliseconds (NaN when unknown). */
export interface SummaryRow {
  operation: string;
  objectUri: string;
  callerIp: string;
  callerObjectId: string;
  callerUpn: string;
  callerAppId: string;
  resultType: string;
  statusCode: number;
  count: number;
  firstTime: number;
  lastTime: number;
}

export interface AccumulatedImpact {
  objects: ImpactObject[];
  vaultChanges: ImpactVaultChange[];
  callers: ImpactCaller[];
  unattributedOperations: ImpactUnattributedOperation[];
  toRotate: ImpactRotation[];
  /** Log rows folded in (sum of counts), per source. */
  events: Record<ImpactEvidenceSource, number>;
}

function newSpan(): Span {
  return { first: Number.NaN, last: Number.NaN };
}

function widen(span: Span, first: number, last: number): void {
  // NaN compares false: an unknown time never replaces a known one.
  if (!(span.first <= first)) span.first = Number.isNaN(first) ? span.first : first;
  if (!(span.last >= last)) span.last = Number.isNaN(last) ? span.last : last;
}

/**
 * `widen` with the times read from the row itself. Epoch milliseconds are not small integers: passed as arguments
 * to a call the optimiser does not inline, each one is boxed in a fresh heap number (six per row, most of the
 * garbage of a large fold). Read from the row's fields they stay unboxed.
 */
function widenByRow(span: Span, row: SummaryRow): void {
  const first = row.firstTime;
  const last = row.lastTime;
  if (!(span.first <= first) && !Number.isNaN(first)) span.first = first;
  if (!(span.last >= last) && !Number.isNaN(last)) span.last = last;
}

function isoOrUndefined(ms: number): string | undefined {
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

function isSuccess(resultType: string, statusCode: number): boolean {
  if (statusCode > 0) return statusCode >= 200 && statusCode < 300;
  return resultType === "Success" || resultType === "OK";
}

export class ImpactAccumulator {
  private readonly objects = new Map<string, ObjectState>();
  private readonly uriTargets = new Map<string, UriTarget>();
  /** Callers of rows that touch no object and change nothing (listings, vault reads). */
  private readonly counters = new CallerCounters();
  private readonly opCounters = new OperationCounters();
  private readonly callerIndex = new CallerSet(this.counters);
  /** Interned callers by IP, then a short scan over the identities seen from that IP (rarely more than one). */
  private readonly ipGroups = new Map<string, IpGroup>();
  private identityCount = 0;
  private readonly operationKinds = new Map<string, OperationKind>();
  private readonly vaultChanges = new Map<string, VaultChangeState>();
  private readonly unattributed = new Map<string, ImpactUnattributedOperation>();
  private readonly events: Record<ImpactEvidenceSource, number> = { alert: 0, AZKVAuditLogs: 0, AzureDiagnostics: 0 };
  private readonly alertOperations: { operation: string; count: number; succeeded: boolean }[] = [];
  private alertCaller: CallerState | undefined;
  /** Every caller of the vault in the window (census queries), keyed by their four identity fields. */
  private readonly census = new Map<string, CallerState>();
  /** The census callers' requests per network path, by the same key. */
  private readonly censusPaths = new Map<string, PathCounts>();

  /** The vault host used for objects the alert names without a URI (`<vault>.vault.azure.net`). */
  constructor(private readonly vaultHost: string) {}

  /** Log rows folded in so far from `source` (the sum of the summary rows' counts). */
  eventCount(source: ImpactEvidenceSource): number {
    return this.events[source];
  }

  /** Log rows left out because their operation is noise (neither a data access nor a change), per operation. */
  skippedOperations(): { operation: string; count: number }[] {
    return [...this.operationKinds.values()].filter((kind) => kind.skipped > 0).map((kind) => ({ operation: kind.name, count: kind.skipped }));
  }

  /** Folds one summary row from `source` in. */
  add(source: ImpactEvidenceSource, row: SummaryRow): void {
    // Hot path: three small look-ups (operation name, object URI, caller identity), each cached on the distinct
    // value, then counters. No string is built and nothing is allocated for a row whose values were seen before.
    const kind = this.operationKind(row.operation);
    const info = kind.info;
    const count = row.count > 0 ? row.count : 1;
    if (info.scope === "noise") {
      kind.skipped += count;
      return;
    }
    this.events[source] += count;
    const ok = isSuccess(row.resultType, row.statusCode);
    const bit = sourceBits[source];
    const caller = this.identityOf(row.callerIp, row.callerObjectId, row.callerUpn, row.callerAppId);

    if (info.scope === "object") {
      const target = row.objectUri === "" ? undefined : this.uriTarget(row.objectUri);
      const object = target === undefined ? undefined : (target.object ?? (target.ref === undefined ? undefined : this.objectOf(target)));
      if (object !== undefined) {
        object.sources |= bit;
        if (ok) object.succeeded += count;
        else object.failed += count;
        // The object's times are its operations' (min / max at build), so they are not widened per row.
        const opSlot = object.operationSlots[kind.index] ?? this.operationOf(object, kind).slot;
        const d = this.opCounters.data;
        const i = opSlot * opStride;
        if (ok) d[i]! += count;
        else d[i + 1]! += count;
        const first = row.firstTime;
        const last = row.lastTime;
        if (!(d[i + 2]! <= first) && !Number.isNaN(first)) d[i + 2] = first;
        if (!(d[i + 3]! >= last) && !Number.isNaN(last)) d[i + 3] = last;
        d[i + 4] = d[i + 4]! | bit;
        const status = row.statusCode;
        if (status > 0 && d[i + 5] === status) d[i + 6]! += count;
        else if (status > 0 && d[i + 5] === 0) {
          d[i + 5] = status;
          d[i + 6] = count;
        } else if (status > 0 && d[i + 7] === status) d[i + 8]! += count;
        else if (status > 0 && d[i + 7] === 0) {
          d[i + 7] = status;
          d[i + 8] = count;
        } else countRareStatus(object.operations[kind.index]!, status, row.resultType, count);
        const slot = object.callers.slotOf(caller);
        bumpSlotByRow(this.counters.data, slot, count, ok, row);
        return;
      }
    } else if (info.scope === "vault" && info.change !== undefined) {
      let change = this.vaultChanges.get(row.operation);
      if (change === undefined) {
        change = { operation: row.operation, kind: info.change, succeeded: 0, failed: 0, callers: new CallerSet(this.counters), sources: 0, ...newSpan() };
        this.vaultChanges.set(row.operation, change);
      }
      change.sources |= bit;
      if (ok) change.succeeded += count;
      else change.failed += count;
      widenByRow(change, row);
      const slot = change.callers.slotOf(caller);
      bumpSlotByRow(this.counters.data, slot, count, ok, row);
      return;
    }
    const slot = this.callerIndex.slotOf(caller);
    bumpSlotByRow(this.counters.data, slot, count, ok, row);
    if (info.scope === "vault") return; // vault reads (VaultGet/VaultList): not a change, and they touch no object.
    const key = (kind.unattributedKeys[bit] ??= `${source}\u0000${row.operation}`);
    let entry = this.unattributed.get(key);
    if (entry === undefined) {
      entry = { operation: row.operation, count: 0, failed: 0, source };
      this.unattributed.set(key, entry);
    }
    entry.count += count;
    if (!ok) entry.failed += count;
  }

  /** Folds one census row in: a caller of the vault in the window, whether suspicious or not. */
  addCensus(caller: {
    ip: string;
    oid: string;
    upn: string;
    appId: string;
    count: number;
    failed: number;
    first: number;
    last: number;
    /** Requests per network path (a census row may omit them: older callers of the accumulator). */
    paths?: Readonly<Record<ImpactCallerPath, number>>;
  }): void {
    const key = callerKey4(caller.ip, caller.oid, caller.upn, caller.appId);
    let state = this.census.get(key);
    if (state === undefined) {
      state = { ip: caller.ip, oid: caller.oid, upn: caller.upn, appId: caller.appId, count: 0, failed: 0, ...newSpan() };
      this.census.set(key, state);
    }
    let paths = this.censusPaths.get(key);
    if (paths === undefined) {
      paths = { requests: 0, public: 0, "virtual-network": 0, "private-endpoint": 0, "trusted-service": 0 };
      this.censusPaths.set(key, paths);
    }
    paths.requests += caller.count;
    if (caller.paths !== undefined) for (const path of callerPaths) paths[path] += caller.paths[path];
    state.count += caller.count;
    state.failed += caller.failed;
    widen(state, caller.first, caller.last);
  }

  /**
   * Records what the alert says: the objects it names (targets) and its operation counts. Alert counts are kept
   * apart from log counts and only used for objects the logs do not cover, so nothing is counted twice.
   */
  addAlertEvidence(evidence: {
    targets: readonly string[];
    operations: readonly { operation: string; count: number }[];
    succeeded: boolean;
    caller?: { ip?: string; objectId?: string; upn?: string; appId?: string };
    window: { start: number; end: number };
  }): void {
    for (const target of evidence.targets) {
      const t = this.uriTarget(target);
      if (t.ref === undefined) continue;
      this.objectOf(t).namedByAlert = true;
    }
    for (const op of evidence.operations) this.alertOperations.push({ ...op, succeeded: evidence.succeeded });
    if (evidence.caller !== undefined) {
      const c = evidence.caller;
      const caller: CallerState = {
        ip: c.ip ?? "",
        oid: c.objectId ?? "",
        upn: c.upn ?? "",
        appId: c.appId ?? "",
        count: evidence.operations.reduce((n, o) => n + o.count, 0),
        failed: evidence.succeeded ? 0 : evidence.operations.reduce((n, o) => n + o.count, 0),
        first: evidence.window.start,
        last: evidence.window.end,
      };
      this.alertCaller = caller;
    }
  }

  /**
   * Builds the sorted, JSON-ready aggregates. `logsAnswered`: the logs were read, so the alert's counts of
   * operations it ties to no object are left out (the logs list those operations themselves).
   */
  build(options: { logsAnswered?: boolean } = {}): AccumulatedImpact {
    this.attributeAlertOperations();
    if (options.logsAnswered === true) {
      for (const [key, entry] of this.unattributed) if (entry.source === "alert") this.unattributed.delete(key);
    }
    // Each object's callers are read out of the counters once, for its own list and for the vault-wide one.
    const objectStates = [...this.objects.values()];
    const objectCallers = objectStates.map((o) => o.callers.inIpOrder());
    const objects = objectStates.map((o, i) => this.toObject(o, objectCallers[i]!));
    markCertificatePrivateKeys(objects);
    objects.sort(compareObjects);
    const vaultChanges = [...this.vaultChanges.values()]
      .map<ImpactVaultChange>((c) => ({
        operation: c.operation,
        kind: c.kind,
        succeeded: c.succeeded,
        failed: c.failed,
        ...times(c),
        callers: toCallers(c.callers.inIpOrder()),
        sources: sourcesOf(c.sources),
      }))
      .sort((a, b) => compareText(a.firstTime ?? "", b.firstTime ?? "") || compareText(a.operation, b.operation));
    const callers = this.allCallers(objectCallers);
    const unattributedOperations = [...this.unattributed.values()].sort(
      (a, b) => b.count - a.count || compareText(a.operation, b.operation),
    );
    return { objects, vaultChanges, callers, unattributedOperations, toRotate: rotations(objects), events: { ...this.events } };
  }

  private allCallers(objectCallers: readonly (readonly OwnedCallerState[])[]): ImpactCaller[] {
    // The vault-wide list: every object's, every change's and the other rows' callers, merged by identity.
    const merged = new Map<string, CallerState>();
    const merge = (state: OwnedCallerState): void => {
      const key = state.identity.mergeKey;
      const into = merged.get(key);
      if (into === undefined) {
        merged.set(key, new OwnedCallerState(state.identity, state.count, state.failed, state.first, state.last));
      } else {
        bump(into, state.count, true, state.first, state.last);
        into.failed += state.failed;
      }
    };
    for (const state of this.callerIndex.inIpOrder()) merge(state);
    for (const states of objectCallers) for (const state of states) merge(state);
    for (const change of this.vaultChanges.values()) for (const state of change.callers.inIpOrder()) merge(state);
    let states = [...merged.values()];
    // Without log rows the alert's own caller (with all its counted operations) is the evidence.
    const logRows = this.events.AZKVAuditLogs + this.events.AzureDiagnostics;
    if (this.alertCaller !== undefined && (logRows === 0 || states.length === 0)) states = [this.alertCaller];
    const suspicious = toCallers(states);
    const seen = new Set(states.map((c) => callerKey4(c.ip, c.oid, c.upn, c.appId)));
    const others = [...this.census.entries()].filter(([key]) => !seen.has(key)).map(([, state]) => state);
    const callers = [...suspicious, ...toCallers(others, false)];
    for (const caller of callers) {
      const paths = this.censusPaths.get(callerKey4(caller.ipAddress ?? "", caller.objectId ?? "", caller.userPrincipalName ?? "", caller.applicationId ?? ""));
      const via = paths === undefined ? undefined : pathOf(paths);
      if (via !== undefined) caller.via = via;
    }
    return callers;
  }

  /** Alert operation counts go to the one named object of the matching type, when there is exactly one. */
  private attributeAlertOperations(): void {
    const named = [...this.objects.values()].filter((o) => o.namedByAlert);
    for (const op of this.alertOperations) {
      const info = classifyOperation(op.operation);
      if (info.scope === "noise") continue;
      // Listings name no object, even when the alert names exactly one target.
      const listing = /list/i.test(op.operation);
      const candidates = info.scope === "object" && !listing ? named.filter((o) => o.type === info.objectType) : [];
      const object = candidates.length === 1 ? candidates[0] : undefined;
      if (object !== undefined && info.scope === "object") {
        if ((object.sources & ~sourceBits.alert) !== 0) {
          object.sources |= sourceBits.alert; // the logs already count this object: do not add the alert's counts.
          continue;
        }
        object.sources |= sourceBits.alert;
        const d = this.opCounters.data;
        const i = this.operationOf(object, this.operationKind(op.operation)).slot * opStride;
        d[i + 4] = d[i + 4]! | sourceBits.alert;
        if (op.succeeded) {
          d[i]! += op.count;
          object.succeeded += op.count;
        } else {
          d[i + 1]! += op.count;
          object.failed += op.count;
        }
        const c = this.alertCaller;
        if (c !== undefined) {
          this.counters.bump(object.callers.slotOf(this.identityOf(c.ip, c.oid, c.upn, c.appId)), op.count, op.succeeded, NaN, NaN);
        }
        continue;
      }
      const key = `alert\u0000${op.operation}`;
      const existing = this.unattributed.get(key);
      if (existing === undefined) {
        this.unattributed.set(key, { operation: op.operation, count: op.count, failed: op.succeeded ? 0 : op.count, source: "alert" });
      } else {
        existing.count += op.count;
        if (!op.succeeded) existing.failed += op.count;
      }
    }
    this.alertOperations.length = 0;
    for (const object of named) object.sources |= sourceBits.alert;
  }

  private toObject(o: ObjectState, callerStates: readonly OwnedCallerState[]): ImpactObject {
    o.first = Number.NaN;
    o.last = Number.NaN;
    for (const op of o.operationList) {
      this.opCounters.readInto(op);
      widen(o, op.first, op.last);
    }
    const operations = o.operationList
      .map<ImpactOperation>((op) => ({
        operation: op.operation,
        succeeded: op.succeeded,
        failed: op.failed,
        statusCodes: Object.fromEntries(
          [...statusPairs(op.statusCodes), ...op.resultTypes.entries()].sort(([a], [b]) => compareText(a, b)),
        ),
        ...times(op),
        sources: sourcesOf(op.sources),
      }))
      .sort((a, b) => b.succeeded + b.failed - (a.succeeded + a.failed) || compareText(a.operation, b.operation));
    const callers = toCallers(callerStates);
    const ipAddresses = [...new Set(callers.map((c) => c.ipAddress).filter((ip): ip is string => ip !== undefined))].sort();
    return {
      type: o.type,
      name: o.name,
      versions: [...o.versions].sort(),
      uri: objectUri(o.host, o.type, o.name),
      access: accessOf(o),
      succeeded: o.succeeded,
      failed: o.failed,
      ...times(o),
      operations,
      callers,
      ipAddresses,
      sources: sourcesOf(o.sources),
    };
  }

  private operationOf(object: ObjectState, kind: OperationKind): OperationState {
    let op = object.operations[kind.index];
    if (op === undefined) {
      const slot = this.opCounters.allocate();
      op = {
        operation: kind.name,
        info: kind.info,
        slot,
        succeeded: 0,
        failed: 0,
        statusCodes: [],
        moreStatusCodes: [],
        resultTypes: new Map(),
        sources: 0,
        ...newSpan(),
      };
      object.operations[kind.index] = op;
      object.operationSlots[kind.index] = slot;
      object.operationList.push(op);
    }
    return op;
  }

  /** The interned operation name (classified once per distinct name). */
  private operationKind(name: string): OperationKind {
    let kind = this.operationKinds.get(name);
    if (kind === undefined) {
      kind = { index: this.operationKinds.size, name, info: classifyOperation(name), unattributedKeys: [], skipped: 0 };
      this.operationKinds.set(name, kind);
    }
    return kind;
  }

  /** The interned caller identity (exact case, as before: per-owner lists keep case variants apart). */
  private identityOf(ip: string, oid: string, upn: string, appId: string): CallerIdentity {
    let group = this.ipGroups.get(ip);
    if (group === undefined) {
      group = { identities: [], stamp: 0, rank: 0 };
      this.ipGroups.set(ip, group);
    }
    const identities = group.identities;
    for (let i = 0; i < identities.length; i++) {
      const candidate = identities[i]!;
      if (candidate.oid === oid && candidate.upn === upn && candidate.appId === appId) return candidate;
    }
    const identity = new CallerIdentity(this.identityCount++, group, ip, oid, upn, appId);
    identities.push(identity);
    return identity;
  }

  private uriTarget(uri: string): UriTarget {
    let target = this.uriTargets.get(uri);
    if (target !== undefined) return target;
    const ref = parseObjectUri(uri);
    // `object` is filled by objectOf on first touch, which also records the URI's version.
    target = { ref, object: undefined };
    // Bounded: a hostile or broken result with millions of distinct URIs must not grow this cache without limit.
    if (this.uriTargets.size < 100_000) this.uriTargets.set(uri, target);
    return target;
  }

  /** The object a target names, created on first touch; its version is recorded once per distinct URI. */
  private objectOf(target: UriTarget): ObjectState {
    if (target.object !== undefined) return target.object;
    const ref = target.ref!;
    const key = objectKey(ref);
    let object = this.objects.get(key);
    if (object === undefined) {
      object = {
        type: ref.type,
        name: ref.name,
        host: ref.host || this.vaultHost,
        versions: new Set(),
        operations: [],
        operationSlots: [],
        operationList: [],
        callers: new CallerSet(this.counters),
        succeeded: 0,
        failed: 0,
        sources: 0,
        namedByAlert: false,
        ...newSpan(),
      };
      this.objects.set(key, object);
    }
    if (ref.version !== undefined) object.versions.add(ref.version);
    target.object = object;
    return object;
  }

}

interface PathCounts extends Record<ImpactCallerPath, number> {
  requests: number;
}

const callerPaths: readonly ImpactCallerPath[] = ["public", "virtual-network", "private-endpoint", "trusted-service"];

/**
 * The one path a firewall change must assume for a caller: public as soon as one request came over a public
 * address (those are the requests ip rules cut); unknown (`undefined`) when some requests say nothing about their
 * path; otherwise the path that depends most on the kept configuration (a VNet rule, then the trusted-services
 * bypass, then a private endpoint, which no firewall setting cuts).
 */
function pathOf(paths: PathCounts): ImpactCallerPath | undefined {
  if (paths.public > 0) return "public";
  const known = paths["virtual-network"] + paths["private-endpoint"] + paths["trusted-service"];
  if (known === 0 || known < paths.requests) return undefined;
  if (paths["virtual-network"] > 0) return "virtual-network";
  if (paths["trusted-service"] > 0) return "trusted-service";
  return "private-endpoint";
}

function callerKey4(ip: string, oid: string, upn: string, appId: string): string {
  return `${ip}\n${oid.toLowerCase()}\n${upn.toLowerCase()}\n${appId.toLowerCase()}`;
}

function objectKey(ref: ObjectRef): string {
  return `${ref.type}/${ref.name.toLowerCase()}`;
}

/** A third or later status of an operation, or a row without a status (counted by `ResultType`). */
function countRareStatus(op: OperationState, status: number, resultType: string, count: number): void {
  if (status > 0) {
    const codes = op.moreStatusCodes;
    for (let i = 0; i < codes.length; i += 2) {
      if (codes[i] === status) {
        codes[i + 1]! += count;
        return;
      }
    }
    codes.push(status, count);
    return;
  }
  const result = resultType || "unknown";
  op.resultTypes.set(result, (op.resultTypes.get(result) ?? 0) + count);
}

function statusPairs(codes: readonly number[]): [string, number][] {
  const pairs: [string, number][] = [];
  for (let i = 0; i < codes.length; i += 2) pairs.push([String(codes[i]), codes[i + 1]!]);
  return pairs;
}


function times(span: Span): { firstTime?: string; lastTime?: string } {
  const out: { firstTime?: string; lastTime?: string } = {};
  const first = isoOrUndefined(span.first);
  const last = isoOrUndefined(span.last);
  if (first !== undefined) out.firstTime = first;
  if (last !== undefined) out.lastTime = last;
  return out;
}

function toCallers(states: readonly CallerState[], suspicious = true): ImpactCaller[] {
  // Sort keys computed once per caller (interned callers carry theirs), not per comparison; code-unit order, so the
  // output is the same everywhere. Positions are sorted (stable, so equal callers keep their order), not wrappers.
  const keys = states.map((s) => (s instanceof OwnedCallerState ? s.identity.sortKey : callerKey(s)));
  const order = states.map((_, i) => i);
  order.sort((i, j) => states[j]!.count - states[i]!.count || compareText(keys[i]!, keys[j]!));
  return order.map((i) => toCaller(states[i]!, suspicious));
}

function toCaller(s: CallerState, suspicious: boolean): ImpactCaller {
  // Built field by field in the report's key order (count, failedCount, times, suspicious, identity).
  const caller = { count: s.count, failedCount: s.failed } as ImpactCaller; // `suspicious` follows the times
  if (!Number.isNaN(s.first)) caller.firstTime = new Date(s.first).toISOString();
  if (!Number.isNaN(s.last)) caller.lastTime = new Date(s.last).toISOString();
  caller.suspicious = suspicious;
  if (s.ip !== "") caller.ipAddress = s.ip;
  if (s.oid !== "") caller.objectId = s.oid;
  if (s.upn !== "") caller.userPrincipalName = s.upn;
  if (s.appId !== "") caller.applicationId = s.appId;
  return caller;
}

/** Code-unit order (not locale order): reports must sort the same on every machine. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function callerKey(s: CallerState): string {
  return `${s.ip}|${s.oid}|${s.upn}|${s.appId}`;
}

function accessOf(o: ObjectState): ImpactAccess {
  let read = false;
  let modified = false;
  let metadata = false;
  let failed = false;
  for (const op of o.operationList) {
    if (op.failed > 0) failed = true;
    if (op.succeeded === 0 || op.info.scope !== "object") continue;
    if (op.info.effect === "value-read") read = true;
    else if (op.info.effect === "modified") modified = true;
    else metadata = true;
  }
  if (read) return "value-read";
  if (modified) return "modified";
  if (metadata) return "metadata-only";
  if (failed) return "failed-attempts";
  return "named-by-alert";
}

const accessRank: Record<ImpactAccess, number> = {
  "value-read": 0,
  modified: 1,
  "metadata-only": 2,
  "failed-attempts": 3,
  "named-by-alert": 4,
};

function compareObjects(a: ImpactObject, b: ImpactObject): number {
  return accessRank[a.access] - accessRank[b.access] || compareText(a.type, b.type) || compareText(a.name, b.name);
}

/**
 * A certificate's private key lives in its backing secret (same name). A successful value read of that secret
 * exposes the certificate's key, so the certificate is marked read too.
 */
function markCertificatePrivateKeys(objects: ImpactObject[]): void {
  const readSecrets = new Set(
    objects.filter((o) => o.type === "secret" && o.access === "value-read").map((o) => o.name.toLowerCase()),
  );
  for (const o of objects) {
    if (o.type === "certificate" && readSecrets.has(o.name.toLowerCase())) o.access = "value-read";
  }
}

function rotations(objects: ImpactObject[]): ImpactRotation[] {
  const certificates = new Set(objects.filter((o) => o.type === "certificate").map((o) => o.name.toLowerCase()));
  const out: ImpactRotation[] = [];
  for (const o of objects) {
    const base = { type: o.type, name: o.name, uri: o.uri, versions: o.versions };
    const succeededOps = o.operations.filter((op) => op.succeeded > 0);
    const reads = succeededOps.filter((op) => classifyOperation(op.operation).scope === "object" && isValueRead(op.operation));
    const onlyAlert = o.sources.length === 1 && o.sources[0] === "alert";
    if (o.type === "secret" && certificates.has(o.name.toLowerCase()) && o.access === "value-read") {
      continue; // reported on the certificate: a certificate's managed secret is rotated by a new certificate version.
    }
    if (o.type === "certificate" && o.access === "value-read" && reads.length === 0) {
      out.push({
        ...base,
        reasonCode: "certificate-private-key",
        reason: `The private key of certificate '${o.name}' was read through its backing secret (SecretGet on '${o.name}'): create a new certificate version.`,
      });
      continue;
    }
    if (reads.length > 0) {
      const what = reads.map((op) => `${op.operation} x${op.succeeded}`).join(", ");
      const by = o.ipAddresses.length > 0 ? ` from ${o.ipAddresses.join(", ")}` : "";
      const secretNote =
        o.type === "secret" ? " If it backs a certificate of the same name, create a new certificate version instead." : "";
      out.push({
        ...base,
        reasonCode: onlyAlert ? "alert-target" : "value-read",
        reason: `${onlyAlert ? "The alert reports" : "The logs show"} successful ${what}${by}.${secretNote}`,
      });
      continue;
    }
    const writes = succeededOps.filter((op) => {
      const info = classifyOperation(op.operation);
      return info.scope === "object" && info.rotates && info.effect === "modified";
    });
    if (writes.length > 0) {
      out.push({
        ...base,
        reasonCode: "modified",
        reason: `The value was written by the suspicious caller (${writes.map((op) => op.operation).join(", ")}): replace it with a trusted value.`,
      });
      continue;
    }
    if (o.access === "named-by-alert") {
      out.push({
        ...base,
        reasonCode: "alert-target",
        reason: "The alert names this object as accessed and no log shows otherwise.",
      });
    }
  }
  return out;
}

function isValueRead(operation: string): boolean {
  const info = classifyOperation(operation);
  return info.scope === "object" && info.effect === "value-read";
}
