// Run against the first member directly: initiate the replica set unless it exists.
const env = process.env;
db.getSiblingDB("admin").auth(env.MONGO_INITDB_ROOT_USERNAME, env.MONGO_INITDB_ROOT_PASSWORD);

function initiated() {
  try {
    rs.status();
    return true;
  } catch (error) {
    if (error.codeName === "NotYetInitialized") return false;
    throw error;
  }
}

if (initiated()) {
  print(`replica set ${env.MONGODB_REPLICA_SET} exists; nothing to initiate`);
} else {
  const members = env.MONGODB_MEMBERS.split(",").map((host, i) => ({ _id: i, host }));
  rs.initiate({ _id: env.MONGODB_REPLICA_SET, members });
  print(`initiated ${env.MONGODB_REPLICA_SET} with ${env.MONGODB_MEMBERS}`);
}
