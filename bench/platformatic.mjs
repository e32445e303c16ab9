// Platformatic DB's REST API (@platformatic/db-core on Fastify), bound to 127.0.0.1, as
// bench/peers.sh's peer for catalog reads. Run from the folder where it was npm-installed.
// Usage: node platformatic.mjs CONNECTION_STRING PORT
import fastify from 'fastify'
import db from '@platformatic/db-core'

const app = fastify({ logger: false })
app.register(db, { connectionString: process.argv[2], graphql: false })
await app.listen({ host: '127.0.0.1', port: Number(process.argv[3]) })
