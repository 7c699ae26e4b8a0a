# fetchq in a container. NOT built or run on the machine fetchq is developed on (it has no Docker engine);
# written to match how ./fetchq runs the jar. Build: docker build -t fetchq .
# Run one node on its embedded SQLite file:
#   docker run -p 8080:8080 -v fetchq-data:/data -e FETCHQ_API_KEYS="me:<16+ chars>:admin" fetchq
# Many nodes on PostgreSQL: see compose.yaml and docs/SCALING.md.
FROM eclipse-temurin:21-jdk AS build
WORKDIR /src
COPY .mvn .mvn
COPY mvnw pom.xml ./
RUN ./mvnw -B -q dependency:go-offline
COPY src src
RUN ./mvnw -B -q -DskipTests package

FROM eclipse-temurin:21-jre
RUN useradd --system --home /data --shell /usr/sbin/nologin fetchq && mkdir -p /data && chown fetchq /data
COPY --from=build /src/target/fetchq.jar /app/fetchq.jar
USER fetchq
WORKDIR /data
EXPOSE 8080
ENV FETCHQ_DB=/data/fetchq.db
ENTRYPOINT ["java", "-jar", "/app/fetchq.jar"]
CMD ["serve", "--bind", "0.0.0.0"]
