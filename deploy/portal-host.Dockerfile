# portal-host: our lattice host; runs actors in V8 through its Node.js sidecar.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Portal.Host -c Release -o /out

FROM mcr.microsoft.com/dotnet/runtime:10.0
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /out .
COPY src/Portal.Host/sidecar /app/sidecar
RUN cd /app/sidecar && npm ci --omit=dev --no-audit --no-fund
ENV PORTAL_HOST_SIDECAR_DIR=/app/sidecar
ENTRYPOINT ["dotnet", "portal-host.dll"]
