import { readFileSync } from "node:fs";
import { parseAlert } from "./src/index.js";
const obj = JSON.parse(readFileSync(`test/fixtures/${process.argv[2]}`, "utf8"));
const text = JSON.stringify(obj);
let sink = 0;
for (let i = 0; i < 100000; i++) sink += parseAlert(JSON.parse(text)).warnings.length;
console.log(sink);
