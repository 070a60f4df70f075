#!/usr/bin/env node
// Compile Eternal's Solidity sources with solcjs and write one JSON artifact per deployable
// contract, plus sizes.json (deployed bytecode size in bytes, the size snapshot CI compares)
// and enums.json (member names of every enum in our sources, by qualified name such as
// "ITaskManager.TaskState": the ABI only says uint8; scripts/gen_bindings.py reads it).
//
// Usage: node scripts/build_contracts.js [--out DIR] [--input-json PATH]
//   --out DIR          artifacts directory (default: src/eternal/chain/artifacts)
//   --input-json PATH  also write the standard-JSON input, every source inlined, with the full
//                      evm.bytecode / evm.deployedBytecode and the AST selected (for slither)
// Environment: CONTRACTS_DIR overrides the source directory (default: <repo>/contracts).
// Whatever the directory, sources are named "contracts/<relative path>" so artifacts do not
// depend on where the sources live. OpenZeppelin imports resolve from node_modules.
'use strict';

const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const NODE_MODULES = path.join(ROOT, 'node_modules');
const SOURCE_PREFIX = 'contracts/';
const DEFAULT_OUT = path.join(ROOT, 'src', 'eternal', 'chain', 'artifacts');
const MAX_DEPLOYED_BYTES = 24576; // EIP-170
const MAX_INITCODE_BYTES = 49152; // EIP-3860

const SETTINGS = {
  optimizer: { enabled: true, runs: 200 },
  viaIR: false,
  evmVersion: 'cancun',
  // No metadata hash in the bytecode: the same sources give the same bytes on every machine.
  metadata: { bytecodeHash: 'none' },
  // Source units named after their place on disk, so slither/crytic-compile can find them.
  remappings: ['@openzeppelin/=node_modules/@openzeppelin/'],
};

const BUILD_OUTPUT = {
  '*': {
    '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'],
    '': ['ast'],
  },
};

const ANALYSIS_OUTPUT = {
  '*': {
    '*': [
      'abi',
      'metadata',
      'devdoc',
      'userdoc',
      'evm.bytecode',
      'evm.deployedBytecode',
      'evm.methodIdentifiers',
    ],
    '': ['ast'],
  },
};

function fail(message) {
  process.stderr.write(`build_contracts: ${message}\n`);
  process.exit(1);
}

function parseArgs(argv) {
  const args = { out: DEFAULT_OUT, inputJson: null };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) fail(`${arg} needs a value`);
      i += 1;
      return argv[i];
    };
    if (arg === '--out') args.out = path.resolve(value());
    else if (arg === '--input-json') args.inputJson = path.resolve(value());
    else if (arg === '-h' || arg === '--help') {
      process.stdout.write('usage: node scripts/build_contracts.js [--out DIR] [--input-json PATH]\n');
      process.exit(0);
    } else fail(`unknown argument ${arg} (usage: [--out DIR] [--input-json PATH])`);
  }
  return args;
}

/** Every .sol file under dir (node_modules excluded), as sorted paths relative to dir. */
function findSources(dir) {
  const found = [];
  const walk = (sub) => {
    const entries = fs.readdirSync(path.join(dir, sub), { withFileTypes: true });
    for (const entry of entries) {
      const rel = sub ? `${sub}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') walk(rel);
      } else if (entry.name.endsWith('.sol')) {
        found.push(rel);
      }
    }
  };
  walk('');
  return found.sort();
}

/** Map a source unit name to a file: contracts/ from the contracts dir, the rest from the repo. */
function makeResolver(contractsDir) {
  const within = (base, rel) => {
    const file = path.resolve(base, rel);
    return file === base || file.startsWith(base + path.sep) ? file : null;
  };
  return (name) => {
    const candidates = [];
    if (name.startsWith('@openzeppelin/')) candidates.push(within(NODE_MODULES, name));
    else if (name.startsWith(SOURCE_PREFIX)) {
      candidates.push(within(contractsDir, name.slice(SOURCE_PREFIX.length)));
    } else {
      candidates.push(within(contractsDir, name), within(ROOT, name));
    }
    return candidates.find((file) => file && fs.existsSync(file) && fs.statSync(file).isFile());
  };
}

function readSources(contractsDir, names) {
  const resolve = makeResolver(contractsDir);
  const contents = new Map();
  for (const name of names) {
    contents.set(`${SOURCE_PREFIX}${name}`, fs.readFileSync(path.join(contractsDir, name), 'utf8'));
  }
  const importCallback = (name) => {
    const file = resolve(name);
    if (!file) return { error: `File not found: ${name} (looked in ${contractsDir} and ${ROOT})` };
    const text = fs.readFileSync(file, 'utf8');
    contents.set(name, text);
    return { contents: text };
  };
  return { contents, importCallback };
}

/** Contract definitions by "source:Name" from the ASTs: kind and whether abstract. */
function contractKinds(outputSources) {
  const kinds = new Map();
  for (const [sourceName, source] of Object.entries(outputSources || {})) {
    for (const node of (source.ast && source.ast.nodes) || []) {
      if (node.nodeType === 'ContractDefinition') {
        kinds.set(`${sourceName}:${node.name}`, { kind: node.contractKind, abstract: node.abstract });
      }
    }
  }
  return kinds;
}

/**
 * Enum member names from our own sources' ASTs, by qualified name ("Container.Name", or "Name"
 * for a file-level enum, as in the ABI's internalType), with the keys sorted.
 */
function enumMembers(outputSources) {
  const enums = new Map();
  const add = (qualified, node, sourceName) => {
    const members = node.members.map((member) => member.name);
    const known = enums.get(qualified);
    if (known && JSON.stringify(known.members) !== JSON.stringify(members)) {
      fail(`enum ${qualified} is defined differently in ${known.sourceName} and ${sourceName}`);
    }
    enums.set(qualified, { members, sourceName });
  };
  for (const [sourceName, source] of Object.entries(outputSources || {})) {
    if (!sourceName.startsWith(SOURCE_PREFIX)) continue; // node_modules and other dependencies
    for (const node of (source.ast && source.ast.nodes) || []) {
      if (node.nodeType === 'EnumDefinition') add(node.name, node, sourceName);
      if (node.nodeType !== 'ContractDefinition') continue;
      for (const inner of node.nodes || []) {
        if (inner.nodeType === 'EnumDefinition') add(`${node.name}.${inner.name}`, inner, sourceName);
      }
    }
  }
  const sorted = {};
  for (const name of [...enums.keys()].sort()) sorted[name] = enums.get(name).members;
  return sorted;
}

/** Keep concrete contracts and libraries that have external functions (they need deploying). */
function isDeployable(info, abi, bytecode) {
  if (!bytecode) return false;
  if (!info) return true;
  if (info.kind === 'interface' || info.abstract) return false;
  if (info.kind === 'library') return abi.some((entry) => entry.type === 'function');
  return true;
}

function hexSize(hex) {
  return hex.length / 2;
}

function writeIfChanged(file, text) {
  if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === text) return false;
  fs.writeFileSync(file, text);
  return true;
}

function displayPath(file) {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

function toJson(value) {
  return `${JSON.stringify(value, null, 2)}\n`;
}

function main() {
  const started = Date.now();
  const args = parseArgs(process.argv.slice(2));
  const contractsDir = path.resolve(process.env.CONTRACTS_DIR || path.join(ROOT, 'contracts'));
  if (!fs.existsSync(contractsDir)) fail(`contracts directory ${contractsDir} does not exist`);
  const names = findSources(contractsDir);
  if (names.length === 0) fail(`no .sol files under ${contractsDir}`);

  let solc;
  try {
    solc = require('solc');
  } catch (err) {
    fail(`cannot load solc from node_modules (run \`make install\` or \`npm ci\`): ${err.message}`);
  }

  const { contents, importCallback } = readSources(contractsDir, names);
  const sources = {};
  for (const name of names) {
    const key = `${SOURCE_PREFIX}${name}`;
    sources[key] = { content: contents.get(key) };
  }
  const input = { language: 'Solidity', sources, settings: { ...SETTINGS, outputSelection: BUILD_OUTPUT } };
  const output = JSON.parse(solc.compile(JSON.stringify(input), { import: importCallback }));

  const diagnostics = output.errors || [];
  const errors = diagnostics.filter((d) => d.severity === 'error');
  // Our warnings in full; the dependencies' (OpenZeppelin's) only counted.
  const isOurs = (d) => !d.sourceLocation || d.sourceLocation.file.startsWith(SOURCE_PREFIX);
  const warnings = diagnostics.filter((d) => d.severity !== 'error');
  for (const d of warnings.filter(isOurs)) process.stderr.write(`${d.formattedMessage || d.message}\n`);
  const theirs = warnings.filter((d) => !isOurs(d)).length;
  if (theirs > 0) process.stderr.write(`build_contracts: ${theirs} warning(s) in dependencies not shown\n`);
  if (errors.length > 0) {
    for (const d of errors) process.stderr.write(`${d.formattedMessage || d.message}\n`);
    fail(`compilation failed with ${errors.length} error(s) (solc ${solc.version()})`);
  }

  const kinds = contractKinds(output.sources);
  const artifacts = new Map();
  const sizes = {};
  const oversize = [];
  const sourceNames = Object.keys(output.contracts || {}).sort();
  for (const sourceName of sourceNames) {
    if (!sourceName.startsWith(SOURCE_PREFIX)) continue; // node_modules and other dependencies
    const byName = output.contracts[sourceName];
    for (const contractName of Object.keys(byName).sort()) {
      const compiled = byName[contractName];
      const bytecode = compiled.evm.bytecode.object;
      const deployed = compiled.evm.deployedBytecode.object;
      if (!isDeployable(kinds.get(`${sourceName}:${contractName}`), compiled.abi, bytecode)) continue;
      if (artifacts.has(contractName)) {
        fail(`contract name ${contractName} is defined in both ${artifacts.get(contractName).sourceName} and ${sourceName}`);
      }
      if (/__\$[0-9a-f]{34}\$__/.test(bytecode)) {
        process.stderr.write(`build_contracts: warning: ${contractName} needs library linking\n`);
      }
      artifacts.set(contractName, {
        contractName,
        sourceName,
        abi: compiled.abi,
        bytecode: `0x${bytecode}`,
        deployedBytecode: `0x${deployed}`,
      });
      sizes[contractName] = hexSize(deployed);
      if (hexSize(deployed) > MAX_DEPLOYED_BYTES) {
        oversize.push(`${contractName} (${sourceName}): deployed bytecode is ${hexSize(deployed)} bytes, over the EIP-170 limit of ${MAX_DEPLOYED_BYTES} by ${hexSize(deployed) - MAX_DEPLOYED_BYTES}`);
      }
      if (hexSize(bytecode) > MAX_INITCODE_BYTES) {
        oversize.push(`${contractName} (${sourceName}): init code is ${hexSize(bytecode)} bytes, over the EIP-3860 limit of ${MAX_INITCODE_BYTES}`);
      }
    }
  }
  if (oversize.length > 0) {
    for (const line of oversize) process.stderr.write(`${line}\n`);
    fail(`${oversize.length} contract(s) too large to deploy`);
  }
  if (artifacts.size === 0) {
    process.stderr.write(`build_contracts: warning: no deployable contract in ${contractsDir}\n`);
  }

  fs.mkdirSync(args.out, { recursive: true });
  const produced = new Set(['sizes.json', 'enums.json']);
  let changed = 0;
  for (const name of [...artifacts.keys()].sort()) {
    produced.add(`${name}.json`);
    if (writeIfChanged(path.join(args.out, `${name}.json`), toJson(artifacts.get(name)))) changed += 1;
  }
  const sortedSizes = {};
  for (const name of Object.keys(sizes).sort()) sortedSizes[name] = sizes[name];
  if (writeIfChanged(path.join(args.out, 'sizes.json'), toJson(sortedSizes))) changed += 1;
  const enums = toJson(enumMembers(output.sources));
  if (writeIfChanged(path.join(args.out, 'enums.json'), enums)) changed += 1;
  const stale = fs.readdirSync(args.out).filter((f) => f.endsWith('.json') && !produced.has(f));
  for (const file of stale) fs.unlinkSync(path.join(args.out, file));

  if (args.inputJson) {
    const allSources = {};
    for (const name of Object.keys(output.sources || {}).sort()) {
      allSources[name] = { content: contents.get(name) };
    }
    const analysisInput = {
      language: 'Solidity',
      sources: allSources,
      settings: { ...SETTINGS, outputSelection: ANALYSIS_OUTPUT },
    };
    fs.mkdirSync(path.dirname(args.inputJson), { recursive: true });
    fs.writeFileSync(args.inputJson, toJson(analysisInput));
  }

  const [largest] = Object.entries(sizes).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  process.stdout.write(
    `build_contracts: ${artifacts.size} contract(s) from ${names.length} source(s) ` +
      `(${Object.keys(output.sources || {}).length} compiled, solc ${solc.version()}) in ${seconds}s -> ` +
      `${displayPath(args.out)}: ${changed} written, ${stale.length} stale removed; ` +
      `${largest ? `largest ${largest[0]} ${largest[1]} bytes` : 'nothing to deploy'}\n`,
  );
}

main();
