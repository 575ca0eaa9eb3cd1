# syntax=docker/dockerfile:1
# Two stages (the dotnet-docker pattern): restore and publish with the SDK, run on the ASP.NET runtime as a non-root user.
# The base images are build arguments so that a machine without a registry can build from local images
# (docker/smoke-test.sh does that with podman).
ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0
ARG RUNTIME_IMAGE=mcr.microsoft.com/dotnet/aspnet:10.0

FROM ${SDK_IMAGE} AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig appsettings.json ./
COPY src/LogLossApi.Scoring/LogLossApi.Scoring.csproj src/LogLossApi.Scoring/
COPY src/LogLossApi/LogLossApi.csproj src/LogLossApi/
RUN dotnet restore src/LogLossApi/LogLossApi.csproj
COPY src/ src/
RUN dotnet publish src/LogLossApi/LogLossApi.csproj -c Release -o /app --no-restore

FROM ${RUNTIME_IMAGE} AS final
# The charts (ScottPlot on SkiaSharp) draw text with the system's fonts; the runtime image has none.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends fontconfig fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app .
ENV ASPNETCORE_HTTP_PORTS=8080 \
    DOTNET_gcServer=1
USER $APP_UID
EXPOSE 8080
# The runtime image has no curl; the service checks itself (see src/LogLossApi/Hosting/HealthProbe.cs).
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
    CMD ["dotnet", "LogLossApi.dll", "--probe", "http://127.0.0.1:8080/health/live"]
ENTRYPOINT ["dotnet", "LogLossApi.dll"]
