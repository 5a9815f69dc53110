/** The hand-written target-list scan that `targetList` in src/parse/build-alert.ts replaced (slower than V8's regex split), kept as the differential reference. */

/** The characters `String.prototype.trim` removes (ECMAScript WhiteSpace and LineTerminator). */
function isTrimmed(code: number): boolean {
  return (
    code === 32 || (code >= 9 && code <= 13) || code === 0xa0 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x3000 || code === 0xfeff
  );
}

/** `[\s,;]`: the separators of a target list. */
function isTargetSeparator(code: number): boolean {
  return code === 44 || code === 59 || isTrimmed(code);
}

const httpsPrefix = "https://";

/** `https://` in any ASCII casing, a non-empty host, then a `/`. */
function isObjectUri(piece: string): boolean {
  if (piece.length < 10 || piece.charCodeAt(8) === 47 || piece.indexOf("/", 9) === -1) return false;
  for (let i = 0; i < 8; i++) {
    const code = piece.charCodeAt(i);
    const expected = httpsPrefix.charCodeAt(i);
    if (code !== expected && !(expected >= 97 && code === expected - 32)) return false;
  }
  return true;
}

export function targetListReference(value: string, onRejected: (piece: string) => void): string[] {
  const targets: string[] = [];
  for (let start = 0; start < value.length; ) {
    while (start < value.length && isTargetSeparator(value.charCodeAt(start))) start++;
    if (start === value.length) break;
    let end = start + 1;
    while (end < value.length && !isTargetSeparator(value.charCodeAt(end))) end++;
    const piece = value.slice(start, end);
    start = end;
    if (isObjectUri(piece)) {
      if (!targets.includes(piece)) targets.push(piece);
    } else {
      onRejected(piece);
    }
  }
  return targets;
}
