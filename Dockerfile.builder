# Build image for the efd-daemon Debian packages: it runs deploy/build.sh, the same script CI
# runs, and leaves efd-daemon_<ver>_amd64.deb and efd-lkm-dkms_<ver>_all.deb in the output folder.
#
#   docker build -f Dockerfile.builder -o out .                               # bookworm
#   docker build -f Dockerfile.builder --build-arg RELEASE=trixie \
#       --build-arg KERNEL_HEADERS=linux-headers-amd64 -o out .               # + module check
#
# RELEASE: the Debian release to build on (bookworm, trixie). KERNEL_HEADERS: optional header
# packages; when given, the module is also compiled against each as a check. A versioned name
# that only RELEASE-backports has is taken from there (7.x: RELEASE=trixie and e.g.
# KERNEL_HEADERS=linux-headers-7.3.4+deb13-amd64). The packages do not need it: DKMS builds the
# module on the target machine.
ARG RELEASE=bookworm

FROM debian:${RELEASE} AS build
ARG RELEASE
ARG KERNEL_HEADERS=""
ENV DEBIAN_FRONTEND=noninteractive DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 \
    DOTNET_ROOT=/usr/share/dotnet PATH=/usr/share/dotnet:$PATH
RUN echo "deb http://deb.debian.org/debian ${RELEASE}-backports main" \
        > /etc/apt/sources.list.d/backports.list \
 && apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl git dpkg-dev lintian \
        build-essential clang zlib1g-dev kmod xz-utils ${KERNEL_HEADERS} \
 && rm -rf /var/lib/apt/lists/*
# The .NET SDK that global.json names (the one Microsoft installer script; not in Debian).
COPY global.json /tmp/global.json
RUN curl -fsSL https://dot.net/v1/dotnet-install.sh -o /tmp/dotnet-install.sh \
 && bash /tmp/dotnet-install.sh --jsonfile /tmp/global.json --install-dir /usr/share/dotnet \
 && rm /tmp/dotnet-install.sh
WORKDIR /src
COPY . .
RUN rm -rf artifacts \
 && deploy/build.sh --lintian --out /out \
 && for kdir in /usr/src/linux-headers-*-amd64; do \
        [ -e "$kdir/Makefile" ] || continue; \
        make -C kernel KDIR="$kdir" && make -C kernel KDIR="$kdir" clean; \
    done

FROM scratch AS packages
COPY --from=build /out/ /
