// Second opinion: run BSI's @secvisogram/csaf-validator-lib (schema + mandatory tests) on CSAF files.
// Usage: node validator_lib.mjs LIB_DIR FILE...   (LIB_DIR contains node_modules/@secvisogram/csaf-validator-lib)
import { readFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import path from 'node:path'

const [libDir, ...files] = process.argv.slice(2)
const base = path.join(libDir, 'node_modules', '@secvisogram', 'csaf-validator-lib')
const load = (name) => import(pathToFileURL(path.join(base, name)).href)
const { default: validateStrict } = await load('validateStrict.js')
const basic = await load('basic.js')
const tests = Object.values(basic)
const out = []
for (const file of files) {
  const doc = JSON.parse(readFileSync(file, 'utf8'))
  const result = await validateStrict(tests, doc)
  const failed = result.tests.filter((t) => !t.isValid || t.errors.length > 0)
  out.push({ file, isValid: result.isValid, failed: failed.map((t) => ({ name: t.name, errors: t.errors.slice(0, 3) })) })
}
console.log(JSON.stringify(out))
