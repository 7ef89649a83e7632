// Run against the replica set (the driver finds the primary): add members the
// StatefulSet gained since the set was formed, and create or update the platform's user.
// Removing members after a scale-down is left to an operator (see deploy/k8s/README.md).
const env = process.env;
const admin = db.getSiblingDB("admin");
admin.auth(env.MONGO_INITDB_ROOT_USERNAME, env.MONGO_INITDB_ROOT_PASSWORD);

const known = new Set(rs.conf().members.map((m) => m.host));
for (const host of env.MONGODB_MEMBERS.split(",")) {
  if (!known.has(host)) {
    rs.add(host);
    print(`added ${host}`);
  }
}

const roles = env.MONGODB_APP_DATABASES.split(",").map((name) => ({ role: "readWrite", db: name }));
if (admin.getUser(env.MONGO_APP_USERNAME) === null) {
  admin.createUser({ user: env.MONGO_APP_USERNAME, pwd: env.MONGO_APP_PASSWORD, roles });
  print(`created user ${env.MONGO_APP_USERNAME}`);
} else {
  admin.updateUser(env.MONGO_APP_USERNAME, { pwd: env.MONGO_APP_PASSWORD, roles });
  print(`updated user ${env.MONGO_APP_USERNAME}`);
}
