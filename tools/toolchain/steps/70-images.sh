#!/usr/bin/env bash
# Builds every image folder tools/images/<dir>/ that has an image.env (IMAGE=fabrickafka/<name>:<tag>,
# optional ORDER=NN, default 50, optional PUSH=<repository>:<tag>) and a Dockerfile, in ORDER then name order. The folder is copied to a
# temporary build context; an executable prepare.sh there is run as `prepare.sh CONTEXT_DIR` to stage
# files from the cache (jars, binaries). The image is keyed by this script, the staged context and the
# ids of its FROM images; an image whose key is unchanged and that exists locally is not rebuilt.
# Each image is then tagged $TC_REGISTRY/<PUSH, else IMAGE> and pushed (skipped when the registry already
# has it for this key): a mirror of an official image is built as fabrickafka/mirror-<name> here, so that it
# never shadows the real image in this engine, and served under the official name (e.g. zookeeper:3.8.4). Usage: 70-images.sh [DIR...]  (folder names, default: all)
# A prepare.sh exiting 3 means an input is not built yet: the other images are still built, then the step
# fails naming the missing ones (or, with TC_IMAGES_SKIP_MISSING=1, reports them and succeeds).
set -euo pipefail
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"

# The legacy builder: no buildx plugin is installed and nothing may be pulled.
export DOCKER_BUILDKIT=0
images_dir=$TC_REPO/tools/images
work=$(mktemp -d "${TMPDIR:-/tmp}/tc-images.XXXXXX")
trap 'rm -rf "$work"' EXIT

curl -fsS -m 3 -o /dev/null "http://$TC_REGISTRY/v2/" || {
  echo "no registry answers on $TC_REGISTRY: run the registry step first" >&2
  exit 1
}

# Folders in build order: "ORDER<TAB>dir".
list=()
for d in "$images_dir"/*/; do
  d=${d%/}
  name=$(basename "$d")
  [ -f "$d/image.env" ] && [ -f "$d/Dockerfile" ] || continue
  if [ $# -gt 0 ] && [[ ! " $* " == *" $name "* ]]; then continue; fi
  order=$(sed -n 's/^ORDER=//p' "$d/image.env" | tail -n1)
  list+=("$(printf '%03d\t%s' "$((10#${order:-50}))" "$name")")
done
[ ${#list[@]} -gt 0 ] || { tc_status reused "no image folders"; exit 0; }
mapfile -t sorted < <(printf '%s\n' "${list[@]}" | sort)

status=reused
report=()
missing=()
n_built=0
for row in "${sorted[@]}"; do
  name=${row#*$'\t'}
  src=$images_dir/$name
  image=$(sed -n 's/^IMAGE=//p' "$src/image.env" | tail -n1)
  [[ $image == */*:* ]] || { echo "$src/image.env: IMAGE must be repository:tag, got '$image'" >&2; exit 1; }
  push=$(sed -n 's/^PUSH=//p' "$src/image.env" | tail -n1)
  push=${push:-$image}
  [[ $push == *:* ]] || { echo "$src/image.env: PUSH must be repository:tag, got '$push'" >&2; exit 1; }
  echo "==> $name: $image"
  t_img=$(date +%s)

  ctx=$work/$name
  cp -a "$src" "$ctx"
  if [ -x "$ctx/prepare.sh" ]; then
    rc=0
    (cd "$ctx" && ./prepare.sh "$ctx") || rc=$?
    if [ "$rc" = 3 ]; then # an input (e.g. the Fabric binaries) is not built: go on with the others
      missing+=("$name")
      rm -rf "$ctx"
      continue
    fi
    [ "$rc" = 0 ] || { echo "$name: prepare.sh failed ($rc)" >&2; exit 1; }
  fi

  # Key: this script, every file of the staged context (names, modes and contents) and the FROM images.
  froms=$(awk 'toupper($1)=="FROM" {for (i=2;i<=NF;i++) if ($i !~ /^--/) {print $i; break}}' "$ctx/Dockerfile")
  for f in $froms; do
    [ "$f" = scratch ] || docker image inspect "$f" > /dev/null 2>&1 || {
      echo "$name: base image $f is missing: run the rootfs step first" >&2
      exit 1
    }
  done
  key=$(
    {
      sha256sum < "$0"
      (cd "$ctx" && find . \( -type f -o -type l \) -printf '%p %m\n' | LC_ALL=C sort)
      (cd "$ctx" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum)
      for f in $froms; do
        [ "$f" = scratch ] && continue
        docker image inspect -f '{{.Id}}' "$f"
      done
    } | sha256sum | cut -c1-12
  )
  have=$(docker image inspect -f '{{index .Config.Labels "fabrickafka.key"}}' "$image" 2> /dev/null || true)
  if [ "$have" = "$key" ]; then
    echo "$image is current (key $key)"
    state=reused
  else
    start=$(date +%s)
    docker build --label "fabrickafka.key=$key" --label "fabrickafka.folder=tools/images/$name" \
      -t "$image" "$ctx"
    echo "built $image in $(($(date +%s) - start))s"
    state=built
    status=built
    n_built=$((n_built + 1))
  fi
  rm -rf "$ctx"

  # Push to the local registry unless it already holds this key.
  remote=$TC_REGISTRY/$push
  stamp=$TC_STAMPS/image-$(echo "$push" | tr '/:' '__')
  repo=${push%:*} tag=${push##*:}
  if [ "$state" = reused ] && [ "$(cat "$stamp" 2> /dev/null)" = "$key" ] &&
    curl -fsS -m 5 -o /dev/null -I \
      -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
      "http://$TC_REGISTRY/v2/$repo/manifests/$tag"; then
    echo "$remote is current"
  else
    docker tag "$image" "$remote"
    docker push "$remote"
    echo "$key" > "$stamp"
  fi
  size=$(docker image inspect -f '{{.Size}}' "$image" | awk '{printf "%dMB", $1/1000000}')
  report+=("${push#fabrickafka/} $size")
  echo "<== $name: $state, $size, $(($(date +%s) - t_img))s (prepare, key, build, push)"
done

# Dangling images left by rebuilds of our folders.
docker image prune -f --filter "label=fabrickafka.key" > /dev/null || true
detail="$(IFS=','; echo "${report[*]}" | sed 's/,/, /g') (built: $n_built of ${#report[@]})"
if [ ${#missing[@]} -gt 0 ]; then
  # Set TC_IMAGES_SKIP_MISSING=1 to accept a partial set (e.g. while the Fabric binaries cannot be built).
  echo "not built, inputs missing: ${missing[*]}" >&2
  if [ "${TC_IMAGES_SKIP_MISSING:-0}" != 1 ]; then exit 1; fi
  detail+="; SKIPPED (inputs missing): ${missing[*]}"
fi
tc_status "$status" "$detail"
