#!/usr/bin/env bash
# Sign one Windows executable in place (Authenticode, SHA-256) with osslsigncode.
#   SIGN_KEY=key.pem SIGN_CERTS=chain.pem [SIGN_TIMESTAMP_URL=http://…] bash tools/sign_windows.sh FILE
# The workflow's "Set up signing" step writes the key and chain from its secrets; the wine smoke
# test uses a throwaway self-signed certificate. makensis calls this for the uninstaller and the
# installer (installer/cchc.nsi, SIGN_COMMAND), the workflow for the two program executables.
set -euo pipefail
file=$1
: "${SIGN_KEY:?SIGN_KEY (PEM private key) is not set}" "${SIGN_CERTS:?SIGN_CERTS (PEM chain) is not set}"
ts=()
[ -n "${SIGN_TIMESTAMP_URL:-}" ] && ts=(-ts "$SIGN_TIMESTAMP_URL")
osslsigncode sign -key "$SIGN_KEY" -certs "$SIGN_CERTS" -h sha256 -n "Báo cáo CCHC" \
  "${ts[@]}" -in "$file" -out "$file.signed" >/dev/null
mv -f "$file.signed" "$file"
echo "signed: $file"
