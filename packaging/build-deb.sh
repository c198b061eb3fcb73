#!/usr/bin/env bash
# Builds dist/radius-email-otp_<version>_amd64.deb with dotnet publish and dpkg-deb alone (no debhelper needed).
#
#   packaging/build-deb.sh            # from anywhere; prints the path of the .deb
#
# The binary is self-contained (no .NET runtime on the target) and a single file, not trimmed: trimming stops on
# reflection the program relies on (System.Text.Json without source generation in the CLI's --json output, Dapper
# mapping rows to classes, Tomlyn), and what the trimmer removes there would fail only at run time. The native SQLite
# library stays a file beside the binary in /usr/lib/radius-email-otp/ (IncludeNativeLibrariesForSelfExtract=false):
# a bundled one would be extracted to $HOME/.net at start, which the service user has not got.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

name=radius-email-otp
arch=amd64
rid=linux-x64
version="$(dotnet msbuild src/RadiusEmailOtp/RadiusEmailOtp.csproj -getProperty:Version)"
if [[ ! "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+ ]]; then
  echo "build-deb.sh: cannot read <Version> from Directory.Build.props (got \"$version\")" >&2
  exit 1
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
publish="$work/publish"
pkg="$work/pkg"

dotnet publish src/RadiusEmailOtp/RadiusEmailOtp.csproj -c Release -r "$rid" --self-contained \
  -p:PublishSingleFile=true -p:IncludeNativeLibrariesForSelfExtract=false -p:DebugType=none \
  -o "$publish" --nologo -v:quiet

# The program and the native libraries it loads (SQLite) in one directory, and the command on the PATH.
install -d "$pkg/usr/lib/$name" "$pkg/usr/bin"
install -m 0755 "$publish/$name" "$pkg/usr/lib/$name/$name"
find "$publish" -maxdepth 1 -name '*.so' -exec install -m 0644 {} "$pkg/usr/lib/$name/" \;
ln -s "../lib/$name/$name" "$pkg/usr/bin/$name"
# The XML API docs of our assemblies are for IDEs, not the package.
unexpected="$(find "$publish" -maxdepth 1 -type f ! -name "$name" ! -name '*.so' ! -name '*.xml' -printf '%f ')"
if [ -n "$unexpected" ]; then
  echo "build-deb.sh: publish left files the package does not place: $unexpected" >&2
  exit 1
fi

# /etc/radius-email-otp: the shipped config with installed paths, the dictionaries, the mail templates (all conffiles).
etc="$pkg/etc/$name"
install -d "$etc/dictionaries" "$etc/mailtemplates"
install -m 0644 dictionaries/dictionary* "$etc/dictionaries/"
install -m 0644 config/mailtemplates/* "$etc/mailtemplates/"
sed -e 's|^dictionary = "../dictionaries/dictionary"|dictionary = "/etc/radius-email-otp/dictionaries/dictionary"|' \
    -e 's|^data_dir = "\.\./data" *|data_dir = "/var/lib/radius-email-otp"  |' \
    -e 's|^template_root = "mailtemplates" *# config/mailtemplates|template_root = "/etc/radius-email-otp/mailtemplates"|' \
    -e 's|DIRECTORY = "../data/outbox"|DIRECTORY = "/var/lib/radius-email-otp/outbox"|' \
    -e 's|^# Relative paths are relative to this file.s directory (config/), whatever the working directory.|# Relative paths are relative to this directory (/etc/radius-email-otp); the service runs as user radius-email-otp.|' \
    -e 's|^# Check it with: dotnet run --project src/RadiusEmailOtp -- check-config --config config/config.toml|# Check it with: radius-email-otp check-config   (then: systemctl reload radius-email-otp)|' \
    -e 's|^# RadiusEmailOtp configuration. Runs as shipped: .*|# RadiusEmailOtp configuration (/etc/radius-email-otp/config.toml). See radius-email-otp(8).|' \
    config/config.toml > "$etc/config.toml"
for expected in '"/etc/radius-email-otp/dictionaries/dictionary"' 'data_dir = "/var/lib/radius-email-otp"' \
    '"/etc/radius-email-otp/mailtemplates"' '"/var/lib/radius-email-otp/outbox"'; do
  if ! grep -qF "$expected" "$etc/config.toml"; then
    echo "build-deb.sh: config/config.toml changed shape; the packaged config lacks $expected (update the sed lines)" >&2
    exit 1
  fi
done
if grep -q '"\.\./' "$etc/config.toml"; then
  echo "build-deb.sh: the packaged config still has a path into the repository:" >&2
  grep -n '"\.\./' "$etc/config.toml" >&2
  exit 1
fi

# The unit, the man page, bash completion, the copyright.
install -d "$pkg/lib/systemd/system" "$pkg/usr/share/man/man8" "$pkg/usr/share/bash-completion/completions" "$pkg/usr/share/doc/$name"
install -m 0644 packaging/$name.service "$pkg/lib/systemd/system/$name.service"
gzip -9n < packaging/$name.8 > "$pkg/usr/share/man/man8/$name.8.gz"
chmod 0644 "$pkg/usr/share/man/man8/$name.8.gz"
install -m 0644 packaging/bash-completion "$pkg/usr/share/bash-completion/completions/$name"
install -m 0644 LICENSE "$pkg/usr/share/doc/$name/copyright"

# Control files: every file under /etc is a conffile (dpkg keeps the admin's edits on upgrade).
install -d "$pkg/DEBIAN"
(cd "$pkg" && find etc -type f | sort | sed 's|^|/|') > "$pkg/DEBIAN/conffiles"
for script in postinst prerm postrm; do
  install -m 0755 "packaging/debian/$script" "$pkg/DEBIAN/$script"
done
installed_size="$(du -sk --exclude=DEBIAN "$pkg" | cut -f1)"
sed -e "s|@VERSION@|$version|" -e "s|@ARCH@|$arch|" -e "s|@INSTALLED_SIZE@|$installed_size|" \
  packaging/debian/control > "$pkg/DEBIAN/control"

mkdir -p "$root/dist"
deb="$root/dist/${name}_${version}_${arch}.deb"
dpkg-deb --build --root-owner-group "$pkg" "$deb" >/dev/null
echo "$deb"
