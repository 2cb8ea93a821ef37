namespace EfdDaemon;
