import { group } from './harness.js';
const { list } = group('bugs');
export default list;
