/**
 * A `Map` whose string keys compare case-insensitively (ARM resource ids, Key Vault object names, vault names)
 * while remembering the casing each key was first stored with, so listings show what the seed or request used.
 */
export class CaseInsensitiveMap<V> implements Map<string, V> {
  readonly #entries = new Map<string, { key: string; value: V }>();

  constructor(entries?: Iterable<readonly [string, V]>) {
    if (entries) for (const [key, value] of entries) this.set(key, value);
  }

  get size(): number {
    return this.#entries.size;
  }

  get [Symbol.toStringTag](): string {
    return "CaseInsensitiveMap";
  }

  get(key: string): V | undefined {
    return this.#entries.get(key.toLowerCase())?.value;
  }

  has(key: string): boolean {
    return this.#entries.has(key.toLowerCase());
  }

  set(key: string, value: V): this {
    const folded = key.toLowerCase();
    const existing = this.#entries.get(folded);
    this.#entries.set(folded, { key: existing?.key ?? key, value });
    return this;
  }

  delete(key: string): boolean {
    return this.#entries.delete(key.toLowerCase());
  }

  clear(): void {
    this.#entries.clear();
  }

  /** The key with the casing it was first stored with. */
  originalKey(key: string): string | undefined {
    return this.#entries.get(key.toLowerCase())?.key;
  }

  forEach(callback: (value: V, key: string, map: Map<string, V>) => void, thisArg?: unknown): void {
    for (const { key, value } of this.#entries.values()) callback.call(thisArg, value, key, this);
  }

  *entries(): MapIterator<[string, V]> {
    for (const { key, value } of this.#entries.values()) yield [key, value];
  }

  *keys(): MapIterator<string> {
    for (const { key } of this.#entries.values()) yield key;
  }

  *values(): MapIterator<V> {
    for (const { value } of this.#entries.values()) yield value;
  }

  [Symbol.iterator](): MapIterator<[string, V]> {
    return this.entries();
  }
}
