// `express4` is an npm alias of express@4, which ships no types; the Express 5 typings describe
// everything these tests use of it.
declare module 'express4' {
  import express from 'express';
  export default express;
}
