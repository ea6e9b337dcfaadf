"""Reading inbox files as they are: survey exports, workshop workbooks, withdrawals."""
