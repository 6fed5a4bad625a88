#!/usr/bin/env bash
# Install what is missing on a Debian 12 machine: Debian packages (QGIS 3.22, PostGIS,
# SpatiaLite, Qt tools, Xvfb, CJK fonts), then a venv on Debian's Python with the system
# site packages (QGIS bindings) and the pinned requirements.
set -euo pipefail
cd "$(dirname "$0")/.."
# gcc, python3-dev and libgeos-dev: shapely is built against the system GEOS (requirements.txt);
# poppler-utils: the report tests read the PDFs back; python3-matplotlib: report charts
APT_PACKAGES=(qgis python3-qgis qgis-providers postgresql-15-postgis-3 postgresql-contrib
  libsqlite3-mod-spatialite python3-venv python3-pip qttools5-dev-tools pyqt5-dev-tools
  xvfb xauth fonts-noto-cjk unzip gcc python3-dev libgeos-dev poppler-utils python3-matplotlib)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
if [ ! -x .venv/bin/python ]; then
  /usr/bin/python3 -m venv --system-site-packages .venv
fi
if ! cmp -s requirements.txt .venv/.requirements.installed; then
  .venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.txt
  # a venv made before shapely was built from source still holds the manylinux wheel
  if compgen -G ".venv/lib/python3*/site-packages/shapely.libs" >/dev/null; then
    pin=$(grep -E '^shapely==' requirements.txt)
    .venv/bin/python -m pip install -q --disable-pip-version-check --force-reinstall \
      --no-deps --no-binary shapely "$pin"
  fi
  cp requirements.txt .venv/.requirements.installed
fi
