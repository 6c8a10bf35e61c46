# Optional: `. scripts/node22.sh` puts the project's Node (package.json `engines.node`) in your shell,
# for commands typed outside npm scripts (`npx vitest`, `npx tsx bench/...`). npm scripts need no
# sourcing: they start through scripts/with-node.mjs, which does the same thing for them.
# When the shell's Node is outside the range, Node 22 comes from the npm registry into .tools/, and
# npm_config_nodedir points node-gyp at its headers, so native modules build for it.
# bash knows where this file is; other shells source it from the project's folder.
_root="$(pwd)"
if [ -n "${BASH_VERSION:-}" ]; then eval '_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"'; fi
_dirs="$(node --input-type=module -e "
  import { ensureProjectNode } from '$_root/scripts/project-node.mjs';
  const { binDir, nodedir } = ensureProjectNode();
  if (nodedir) console.log(binDir + '\n' + nodedir);
")" || return 1 2>/dev/null || exit 1
if [ -n "$_dirs" ]; then
  export PATH="$(printf '%s\n' "$_dirs" | sed -n 1p):$PATH"
  export npm_config_nodedir="$(printf '%s\n' "$_dirs" | sed -n 2p)"
fi
unset _root _dirs
