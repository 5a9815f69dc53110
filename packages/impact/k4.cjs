require("@kusto/language-service-next/bridge.min.js");
require("@kusto/language-service-next/Kusto.Language.Bridge.min.js");
const K = globalThis.Kusto.Language;
for (const lit of [String.raw`"a\"b\\c\nd\te\u0001f\u00e9"`, String.raw`'x\'y'`, '@"a""b\\c"', '"\u2028"', String.raw`"\x41"`, String.raw`"\u{1F600}"`, '"😀"', String.raw`"\ud83d\ude00"`]) {
  const code = K.KustoCode.ParseAndAnalyze("print " + lit);
  const d = code.GetDiagnostics();
  let lit2 = null;
  code.Syntax.WalkElements((e) => { if (e.Kind === K.Syntax.SyntaxKind.StringLiteralExpression) lit2 = e; });
  console.log(lit, d.Count, d.Count? d.getItem(0).Message:"", JSON.stringify(lit2 && lit2.LiteralValue));
}
