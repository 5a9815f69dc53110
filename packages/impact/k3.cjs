require("@kusto/language-service-next/bridge.min.js");
require("@kusto/language-service-next/Kusto.Language.Bridge.min.js");
const K = globalThis.Kusto.Language;
const SK = K.Syntax.SyntaxKind;
const kindName = (k) => { for (const n in SK) if (SK[n] === k) return n; return k; };
const q = `AZKVAuditLogs
| where TimeGenerated between (datetime(2024-01-01T00:00:00Z) .. datetime(2024-01-02))
| where _ResourceId endswith "/vaults/kv1" and not(OperationName == "Authentication" and HttpStatusCode == 401)
| extend CallerObjectId = coalesce(tostring(Identity.claim.oid), tostring(Identity.claim["http://x"])), X = tostring(column_ifexists("foo_s", ""))
| where CallerIp in ("1.2.3.4", "a\\"b") or CallerUpn in~ ('x') or -1 < 2
| summarize Count = count(), FirstTime = min(TimeGenerated) by OperationName, Id
| take 10`;
const code = K.KustoCode.Parse(q);
function dump(n, d) {
  if (!n) return;
  const extra = n.IsToken ? JSON.stringify(n.Text) : "";
  console.log(" ".repeat(d) + kindName(n.Kind) + " " + (n.constructor.$$name||"") + " " + extra);
  for (let i = 0; i < n.ChildCount; i++) dump(n.GetChild(i), d + 2);
}
dump(code.Syntax, 0);
